package dev.flinkrag.source.postgres;

import dev.flinkrag.source.postgres.PgOutputMessage.Begin;
import dev.flinkrag.source.postgres.PgOutputMessage.Commit;
import dev.flinkrag.source.postgres.PgOutputMessage.Other;
import dev.flinkrag.source.postgres.PgOutputMessage.Relation;
import dev.flinkrag.source.postgres.PgOutputMessage.RowChange;
import dev.flinkrag.source.postgres.PgOutputMessage.Truncate;
import dev.flinkrag.source.postgres.PgOutputMessage.Tuple;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pgoutput messages as PostgreSQL's protocol documentation lays them out, written byte by byte. */
class PgOutputDecoderTest {

    /** 2000-01-01T00:00:00Z, PostgreSQL's epoch, plus 1.5 s, in microseconds since that epoch. */
    private static final long ONE_AND_A_HALF_SECONDS = 1_500_000L;
    private static final long MILLIS_AT_POSTGRES_EPOCH = 946_684_800_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    private PgOutputMessage decoded() {
        return PgOutputDecoder.decode(ByteBuffer.wrap(bytes.toByteArray()));
    }

    private void string(String value) throws IOException {
        out.write(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
    }

    private void tuple(String... values) throws IOException {
        out.writeShort(values.length);
        for (String value : values) {
            if (value == null) {
                out.write('n');
            } else if (value.equals("<unchanged>")) {
                out.write('u');
            } else {
                byte[] text = value.getBytes(StandardCharsets.UTF_8);
                out.write('t');
                out.writeInt(text.length);
                out.write(text);
            }
        }
    }

    private static List<String> texts(Tuple tuple) {
        return tuple.values().stream().map(value -> value == null ? null
                : value == Tuple.UNCHANGED ? "<unchanged>" : new String(value, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void beginAndCommitCarryTheirPositionsAndTimesInEpochMillis() throws IOException {
        out.write('B');
        out.writeLong(0x16B3748L);
        out.writeLong(ONE_AND_A_HALF_SECONDS);
        out.writeInt(731);
        assertThat(decoded()).isEqualTo(new Begin(0x16B3748L, MILLIS_AT_POSTGRES_EPOCH + 1_500));
        bytes.reset();
        out.write('C');
        out.write(0);
        out.writeLong(10L);
        out.writeLong(20L);
        out.writeLong(ONE_AND_A_HALF_SECONDS);
        assertThat(decoded()).isEqualTo(new Commit(10L, 20L, MILLIS_AT_POSTGRES_EPOCH + 1_500));
    }

    @Test
    void aRelationNamesItsSchemaTableAndColumns() throws IOException {
        out.write('R');
        out.writeInt(16385);
        string("public");
        string("documents");
        out.write('d');
        out.writeShort(2);
        for (String column : List.of("id", "text")) {
            out.write(column.equals("id") ? 1 : 0);
            string(column);
            out.writeInt(25);
            out.writeInt(-1);
        }
        assertThat(decoded()).isEqualTo(new Relation(16385, "public", "documents", List.of("id", "text")));
    }

    @Test
    void rowsCarryTextNullsAndUnchangedToastedValues() throws IOException {
        out.write('I');
        out.writeInt(7);
        out.write('N');
        tuple("a.md", "Grüße", null);
        RowChange insert = (RowChange) decoded();
        assertThat(insert.kind()).isEqualTo(RowChange.Kind.INSERT);
        assertThat(texts(insert.row())).containsExactly("a.md", "Grüße", null);
        bytes.reset();
        out.write('U');
        out.writeInt(7);
        out.write('K');
        tuple("old.md", null);
        out.write('N');
        tuple("new.md", "<unchanged>");
        RowChange update = (RowChange) decoded();
        assertThat(update.kind()).isEqualTo(RowChange.Kind.UPDATE);
        assertThat(texts(update.oldKey())).containsExactly("old.md", null);
        assertThat(texts(update.row())).containsExactly("new.md", "<unchanged>");
        bytes.reset();
        out.write('D');
        out.writeInt(7);
        out.write('K');
        tuple("new.md", null);
        RowChange delete = (RowChange) decoded();
        assertThat(delete.kind()).isEqualTo(RowChange.Kind.DELETE);
        assertThat(delete.row()).isNull();
        assertThat(texts(delete.oldKey())).containsExactly("new.md", null);
    }

    @Test
    void truncatesAndOtherMessagesAreNamedAndMalformedOnesRefused() throws IOException {
        out.write('T');
        out.writeInt(2);
        out.write(0);
        out.writeInt(7);
        out.writeInt(8);
        assertThat(decoded()).isEqualTo(new Truncate(List.of(7, 8)));
        bytes.reset();
        out.write('O');
        assertThat(decoded()).isEqualTo(new Other('O'));
        bytes.reset();
        out.write('D');
        out.writeInt(7);
        out.write('N');
        assertThatThrownBy(this::decoded).hasMessageContaining("expected 'K' or 'O', got 'N'");
        bytes.reset();
        out.write('I');
        out.writeInt(7);
        out.write('N');
        out.writeShort(1);
        out.write('b');
        assertThatThrownBy(this::decoded).hasMessageContaining("unexpected column kind 'b'");
    }
}
