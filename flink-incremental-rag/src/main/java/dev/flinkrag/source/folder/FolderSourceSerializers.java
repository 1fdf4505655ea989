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

    static final class SplitSerializer implements SimpleVersionedSerializer<FileChangeSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(FileChangeSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            writeSplit(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public FileChangeSplit deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version, "split");
            return readSplit(new DataInputDeserializer(serialized));
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
            for (FileChangeSplit split : state.unassigned()) {
                writeSplit(split, out);
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
            List<FileChangeSplit> unassigned = new ArrayList<>(splitCount);
            for (int i = 0; i < splitCount; i++) {
                unassigned.add(readSplit(in));
            }
            return new FolderScanState(files, nextVersion, unassigned);
        }
    }

    private static void writeSplit(FileChangeSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.path());
        out.writeLong(split.version());
        out.writeBoolean(split.deleted());
        out.writeLong(split.detectedAt());
    }

    private static FileChangeSplit readSplit(DataInputView in) throws IOException {
        return new FileChangeSplit(in.readUTF(), in.readLong(), in.readBoolean(), in.readLong());
    }

    private static void checkVersion(int version, String what) throws IOException {
        if (version != 1) {
            throw new IOException("unknown folder source " + what + " serializer version " + version);
        }
    }
}
