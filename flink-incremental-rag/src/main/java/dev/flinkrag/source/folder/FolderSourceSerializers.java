package dev.flinkrag.source.folder;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checkpoint serializers of the folder source; bump a version when its layout changes. */
final class FolderSourceSerializers {

    private FolderSourceSerializers() {}

    /** Version 2: a batch of changes; version 1 (one change per split) is read as a batch of one. */
    static final class SplitSerializer implements SimpleVersionedSerializer<FileChangeSplit> {
        @Override
        public int getVersion() {
            return 2;
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
            checkVersion(version, "split");
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            if (version == 1) {
                return FileChangeSplit.of(List.of(readChange(in)));
            }
            String splitId = in.readUTF();
            int count = in.readInt();
            List<FileChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                changes.add(readChange(in));
            }
            return new FileChangeSplit(splitId, changes);
        }
    }

    static final class StateSerializer implements SimpleVersionedSerializer<FolderScanState> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FolderScanState state) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            out.writeLong(state.nextVersion());
            out.writeInt(state.files().size());
            for (Map.Entry<String, FileStamp> file : state.files().entrySet()) {
                out.writeUTF(file.getKey());
                out.writeLong(file.getValue().size());
                out.writeLong(file.getValue().modifiedMillis());
            }
            out.writeInt(state.unassigned().size());
            for (FileChange change : state.unassigned()) {
                writeChange(change, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public FolderScanState deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version, "enumerator state");
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            long nextVersion = in.readLong();
            int fileCount = in.readInt();
            Map<String, FileStamp> files = new HashMap<>(fileCount * 2);
            for (int i = 0; i < fileCount; i++) {
                files.put(in.readUTF(), new FileStamp(in.readLong(), in.readLong()));
            }
            int splitCount = in.readInt();
            List<FileChange> unassigned = new ArrayList<>(splitCount);
            for (int i = 0; i < splitCount; i++) {
                unassigned.add(readChange(in));
            }
            return new FolderScanState(files, nextVersion, unassigned);
        }
    }

    private static void writeChange(FileChange change, DataOutputView out) throws IOException {
        out.writeUTF(change.path());
        out.writeLong(change.version());
        out.writeBoolean(change.deleted());
        out.writeLong(change.detectedAt());
    }

    private static FileChange readChange(DataInputView in) throws IOException {
        return new FileChange(in.readUTF(), in.readLong(), in.readBoolean(), in.readLong());
    }

    private static void checkVersion(int version, String what) throws IOException {
        if (version != 1 && version != 2) {
            throw new IOException("unknown folder source " + what + " serializer version " + version);
        }
    }
}
