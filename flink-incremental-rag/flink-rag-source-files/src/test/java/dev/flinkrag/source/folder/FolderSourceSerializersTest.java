package dev.flinkrag.source.folder;

import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FolderSourceSerializersTest {

    private final FolderSourceSerializers.SplitSerializer serializer = new FolderSourceSerializers.SplitSerializer();

    @Test
    void aBatchOfChangesSurvivesACheckpoint() throws Exception {
        FileChangeSplit split = FileChangeSplit.of(List.of(
                new FileChange("a.md", 7, false, 100, new ContentHash(1, -2)),
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

    /** Checkpoints of the version without content hashes restore with no hash known. */
    @Test
    void aSplitOfTheSecondLayoutIsReadWithoutHashes() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF("changes-3");
        out.writeInt(1);
        out.writeUTF("notes/a.md");
        out.writeLong(3);
        out.writeBoolean(false);
        out.writeLong(42);
        FileChangeSplit split = serializer.deserialize(2, out.getCopyOfBuffer());
        assertThat(split).isEqualTo(
                new FileChangeSplit("changes-3", List.of(new FileChange("notes/a.md", 3, false, 42))));
    }

    @Test
    void theEnumeratorStateSurvivesACheckpoint() throws Exception {
        FolderSourceSerializers.StateSerializer states = new FolderSourceSerializers.StateSerializer();
        FolderScanState state = new FolderScanState(
                Map.of("a.md", new TrackedFile(10, 1_000, 4, new ContentHash(7, 8)),
                        "b.md", new TrackedFile(20, 2_000, 5, null)),
                6, List.of(new FileChange("b.md", 5, false, 99, new ContentHash(3, 4))));
        assertThat(states.deserialize(states.getVersion(), states.serialize(state))).isEqualTo(state);
    }

    /** Enumerator checkpoints of the first layout (stamps only) restore with no hash known. */
    @Test
    void anEnumeratorStateOfTheFirstLayoutRestoresWithoutHashes() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeLong(6);
        out.writeInt(1);
        out.writeUTF("a.md");
        out.writeLong(10);
        out.writeLong(1_000);
        out.writeInt(1);
        out.writeUTF("b.md");
        out.writeLong(5);
        out.writeBoolean(true);
        out.writeLong(99);
        FolderScanState state = new FolderSourceSerializers.StateSerializer().deserialize(1, out.getCopyOfBuffer());
        assertThat(state).isEqualTo(new FolderScanState(Map.of("a.md", new TrackedFile(10, 1_000, 0, null)), 6,
                List.of(new FileChange("b.md", 5, true, 99))));
    }
}
