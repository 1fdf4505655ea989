package dev.flinkrag.source.folder;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checkpoint serializers of the folder source; bump a version when its layout changes. */
final class FolderSourceSerializers {

    private FolderSourceSerializers() {}

    /**
     * Version 3: a batch of changes with the hash of each file's last read content; version 2: a batch without
     * hashes; version 1: one change, read as a batch of one.
     */
    static final class SplitSerializer implements SimpleVersionedSerializer<FileChangeSplit> {
        @Override
        public int getVersion() {
            return 3;
        }

        @Override
        public byte[] serialize(FileChangeSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64 * split.changes().size() + 16);
            out.writeUTF(split.splitId());
            out.writeInt(split.changes().size());
            for (FileChange change : split.changes()) {
                writeChange(change, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public FileChangeSplit deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version, 3, "split");
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            if (version == 1) {
                return FileChangeSplit.of(List.of(readChange(in, false)));
            }
            String splitId = in.readUTF();
            int count = in.readInt();
            List<FileChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                changes.add(readChange(in, version >= 3));
            }
            return new FileChangeSplit(splitId, changes);
        }
    }

    /**
     * Version 2: per file its stamp, last change and content hash, and the unassigned changes with hashes; version 1:
     * per file its stamp only.
     */
    static final class StateSerializer implements SimpleVersionedSerializer<FolderScanState> {
        @Override
        public int getVersion() {
            return 2;
        }

        @Override
        public byte[] serialize(FolderScanState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            out.writeLong(state.nextVersion());
            out.writeInt(state.files().size());
            for (Map.Entry<String, TrackedFile> file : state.files().entrySet()) {
                out.writeUTF(file.getKey());
                out.writeLong(file.getValue().size());
                out.writeLong(file.getValue().modifiedMillis());
                out.writeLong(file.getValue().lastChange());
                writeHash(file.getValue().contentHash(), out);
            }
            out.writeInt(state.unassigned().size());
            for (FileChange change : state.unassigned()) {
                writeChange(change, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public FolderScanState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version, 2, "enumerator state");
            boolean withHashes = version >= 2;
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            long nextVersion = in.readLong();
            int fileCount = in.readInt();
            Map<String, TrackedFile> files = new HashMap<>(fileCount * 2);
            for (int i = 0; i < fileCount; i++) {
                String path = in.readUTF();
                long size = in.readLong();
                long modifiedMillis = in.readLong();
                files.put(path, withHashes
                        ? new TrackedFile(size, modifiedMillis, in.readLong(), readHash(in))
                        : new TrackedFile(size, modifiedMillis, 0L, null));
            }
            int splitCount = in.readInt();
            List<FileChange> unassigned = new ArrayList<>(splitCount);
            for (int i = 0; i < splitCount; i++) {
                unassigned.add(readChange(in, withHashes));
            }
            return new FolderScanState(files, nextVersion, unassigned);
        }
    }

    private static void writeChange(FileChange change, DataOutputView out) throws IOException {
        out.writeUTF(change.path());
        out.writeLong(change.version());
        out.writeBoolean(change.deleted());
        out.writeLong(change.detectedAt());
        writeHash(change.lastReadContent(), out);
    }

    private static FileChange readChange(DataInputView in, boolean withHash) throws IOException {
        return new FileChange(in.readUTF(), in.readLong(), in.readBoolean(), in.readLong(),
                withHash ? readHash(in) : null);
    }

    private static void writeHash(@Nullable ContentHash hash, DataOutputView out) throws IOException {
        out.writeBoolean(hash != null);
        if (hash != null) {
            out.writeLong(hash.high());
            out.writeLong(hash.low());
        }
    }

    @Nullable
    private static ContentHash readHash(DataInputView in) throws IOException {
        return in.readBoolean() ? new ContentHash(in.readLong(), in.readLong()) : null;
    }

    private static void checkVersion(int version, int newest, String what) throws IOException {
        if (version < 1 || version > newest) {
            throw new IOException("unknown folder source " + what + " serializer version " + version);
        }
    }
}
