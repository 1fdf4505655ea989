package dev.flinkrag.source.folder;

import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FolderSourceSerializersTest {

    private final FolderSourceSerializers.SplitSerializer serializer = new FolderSourceSerializers.SplitSerializer();

    @Test
    void aBatchOfChangesSurvivesACheckpoint() throws Exception {
        FileChangeSplit split = FileChangeSplit.of(List.of(new FileChange("a.md", 7, false, 100),
                new FileChange("dir/b.md", 8, true, 101)));
        assertThat(serializer.deserialize(serializer.getVersion(), serializer.serialize(split))).isEqualTo(split);
    }

    /** Checkpoints of the version that had one change per split restore as batches of one. */
    @Test
    void aSplitOfTheFirstLayoutIsReadAsABatchOfOne() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF("notes/a.md");
        out.writeLong(3);
        out.writeBoolean(false);
        out.writeLong(42);
        FileChangeSplit split = serializer.deserialize(1, out.getCopyOfBuffer());
        assertThat(split.changes()).containsExactly(new FileChange("notes/a.md", 3, false, 42));
    }
}
