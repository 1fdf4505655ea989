package dev.flinkrag.source.postgres;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Checkpoint serializers of the PostgreSQL source; bump a version when a layout changes. */
final class ReplicationSerializers {

    private ReplicationSerializers() {}

    static final class SplitSerializer implements SimpleVersionedSerializer<ReplicationSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(ReplicationSplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            write(split, out);
            return out.getCopyOfBuffer();
        }

        @Override
        public ReplicationSplit deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            return read(new DataInputDeserializer(serialized));
        }
    }

    /** The enumerator's state: the split while no reader holds it. */
    static final class PendingSplitsSerializer implements SimpleVersionedSerializer<List<ReplicationSplit>> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(List<ReplicationSplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeInt(splits.size());
            for (ReplicationSplit split : splits) {
                write(split, out);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public List<ReplicationSplit> deserialize(int version, byte[] serialized) throws IOException {
            checkVersion(version);
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int count = in.readInt();
            List<ReplicationSplit> splits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                splits.add(read(in));
            }
            return splits;
        }
    }

    private static void write(ReplicationSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.slotName());
        out.writeLong(split.resumeLsn());
        out.writeBoolean(split.snapshotDone());
        out.writeBoolean(split.snapshotCursor() != null);
        if (split.snapshotCursor() != null) {
            out.writeUTF(split.snapshotCursor());
        }
    }

    private static ReplicationSplit read(DataInputView in) throws IOException {
        String slot = in.readUTF();
        long resumeLsn = in.readLong();
        boolean snapshotDone = in.readBoolean();
        String cursor = in.readBoolean() ? in.readUTF() : null;
        return new ReplicationSplit(slot, resumeLsn, snapshotDone, cursor);
    }

    private static void checkVersion(int version) throws IOException {
        if (version != 1) {
            throw new IOException("PostgreSQL source state of unknown version " + version);
        }
    }
}
