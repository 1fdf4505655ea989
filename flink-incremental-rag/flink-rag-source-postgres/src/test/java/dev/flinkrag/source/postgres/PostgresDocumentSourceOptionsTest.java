package dev.flinkrag.source.postgres;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresDocumentSourceOptionsTest {

    private static Map<String, String> options(String... extra) {
        Map<String, String> options = new HashMap<>(Map.of("url", "jdbc:postgresql://db:5432/app",
                "username", "indexer", "password", "s3cret-password", "table-name", "public.documents",
                "slot.name", "flink_rag_documents"));
        for (int i = 0; i < extra.length; i += 2) {
            options.put(extra[i], extra[i + 1]);
        }
        return options;
    }

    @Test
    void stringOptionsBuildTheSourceAndThePasswordIsNeverShown() {
        PostgresDocumentSource source = PostgresDocumentSource.fromOptions(options("text-column", "body",
                "metadata-columns", "title;path", "scan.snapshot.fetch-size", "50")).build();
        assertThat(source.toString()).contains("public.documents").contains("text=body").contains("flink_rag_documents")
                .doesNotContain("s3cret");
    }

    @Test
    void badOptionsAreNamedByKeyAndBadSettersByName() {
        Map<String, String> noSlot = options();
        noSlot.remove("slot.name");
        assertThatThrownBy(() -> PostgresDocumentSource.fromOptions(noSlot)).hasMessage("option 'slot.name' is required");
        assertThatThrownBy(() -> PostgresDocumentSource.fromOptions(options("scan.snapshot.fetch-size", "0")))
                .hasMessage("option 'scan.snapshot.fetch-size' must be at least 1, was '0'");
        assertThatThrownBy(() -> PostgresDocumentSource.fromOptions(options("slot", "x")))
                .hasMessageContaining("unknown option 'slot'");
        assertThatThrownBy(() -> PostgresDocumentSource.builder().url("jdbc:mysql://db/app").username("u")
                .table("t").slotName("s").build())
                .hasMessageContaining("PostgresDocumentSource.builder().url(…) must be a jdbc:postgresql: URL");
        assertThatThrownBy(() -> PostgresDocumentSource.fromOptions(options("slot.name", "Bad-Slot")).build())
                .hasMessageContaining("slotName");
    }
}
