package dev.flinkrag.lucene;

import org.apache.flink.annotation.Internal;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * A durable Lucene commit made at a checkpoint barrier. It is both the sink's committable (confirmed
 * once the checkpoint completes) and its writer state (the commit to roll back to on restore).
 */
@Internal
public record LuceneCommitPoint(String indexPath, long sequence) {

    /** Serializer for checkpoints; bump the version if the layout changes. */
    public static final class Serializer implements SimpleVersionedSerializer<LuceneCommitPoint> {

        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(LuceneCommitPoint point) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(64);
            out.writeUTF(point.indexPath());
            out.writeLong(point.sequence());
            return out.getCopyOfBuffer();
        }

        @Override
        public LuceneCommitPoint deserialize(int version, byte[] serialized) throws IOException {
            if (version != 1) {
                throw new IOException("unknown LuceneCommitPoint serializer version " + version);
            }
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            return new LuceneCommitPoint(in.readUTF(), in.readLong());
        }
    }
}
