package dev.flinkrag.table.index;

import dev.flinkrag.table.HashingModelFactory;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the planner makes of a {@code rag-index} table: the plan a document table feeds it, and the errors of a bad
 * definition, each naming the table and the option or column.
 */
class RagIndexTablePlanningTest {

    private TableEnvironment tables;

    @BeforeEach
    void documentTable() {
        tables = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        tables.executeSql("CREATE TABLE docs (doc_id STRING, text STRING, path STRING, PRIMARY KEY (doc_id) NOT "
                + "ENFORCED) WITH ('connector' = 'document-folder', 'path' = '/tmp/docs', "
                + "'source.monitor-interval' = '1s')");
    }

    private void index(String columns, String options) {
        tables.executeSql("CREATE TABLE idx (" + columns + ") WITH ('connector' = 'rag-index', " + options + ")");
    }

    private static final String COLUMNS = "doc_id STRING, text STRING, path STRING, PRIMARY KEY (doc_id) NOT ENFORCED";
    private static final String LUCENE = "'store' = 'lucene', 'path' = '/tmp/index', 'model.provider' = '"
            + HashingModelFactory.PROVIDER + "'";

    /**
     * A document table's deletes carry only the key and the index takes upserts by the same key, so Flink adds no
     * ChangelogNormalize (which would keep every document's text in state); a filter needs one, to delete documents
     * that stop matching.
     */
    @Test
    void aDocumentTableFeedsTheIndexWithoutKeepingDocumentsInStateUnlessTheQueryFilters() {
        index(COLUMNS, LUCENE);

        assertThat(tables.explainSql("INSERT INTO idx SELECT doc_id, UPPER(text), path FROM docs"))
                .doesNotContain("ChangelogNormalize");
        assertThat(tables.explainSql("INSERT INTO idx SELECT * FROM docs WHERE path LIKE 'kitchen/%'"))
                .contains("ChangelogNormalize(key=[doc_id]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no primary key|doc_id STRING, text STRING|" + "'store' = 'lucene', 'path' = '/tmp/i'|needs a PRIMARY KEY",
        "no text column|doc_id STRING, body STRING, PRIMARY KEY (doc_id) NOT ENFORCED|'store' = 'lucene', 'path' = "
                + "'/tmp/i'|has no physical column 'text' (option 'text-column'",
        "text not a string|doc_id STRING, text INT, PRIMARY KEY (doc_id) NOT ENFORCED|'store' = 'lucene', 'path' = "
                + "'/tmp/i'|column 'text' of table default_catalog.default_database.idx (option 'text-column') must be "
                + "STRING",
        "metadata of an unsupported type|doc_id STRING, text STRING, tags ARRAY<STRING>, PRIMARY KEY (doc_id) NOT "
                + "ENFORCED|'store' = 'lucene', 'path' = '/tmp/i'|column 'tags' of table "
                + "default_catalog.default_database.idx is ARRAY<STRING>",
        "unknown option|" + COLUMNS + "|'store' = 'lucene', 'path' = '/tmp/i', 'chunking.max-tokenz' = '9'|"
                + "chunking.max-tokenz",
        "unknown store|" + COLUMNS + "|'store' = 'qdrantt', 'path' = '/tmp/i'|store",
        "another store's option|" + COLUMNS + "|'store' = 'lucene', 'path' = '/tmp/i', 'url' = 'jdbc:postgresql:x'|"
                + "option 'url' is for 'store' = 'pgvector', not 'lucene'",
        "a store option missing|" + COLUMNS + "|'store' = 'pgvector', 'url' = 'jdbc:postgresql://h/db', "
                + "'username' = 'u'|'store' = 'pgvector' needs option 'table-name'",
        "a malformed value|" + COLUMNS + "|'store' = 'lucene', 'path' = '/tmp/i', 'chunking.max-tokens' = '3'|"
                + "option 'chunking.max-tokens' must be at least 8, was '3'",
        "a dead-letter table without pgvector|" + COLUMNS + "|'store' = 'lucene', 'path' = '/tmp/i', "
                + "'dead-letters.table-name' = 'letters'|option 'dead-letters.table-name' needs 'store' = 'pgvector'",
        "a malformed dead-letter table name|" + COLUMNS + "|'store' = 'pgvector', 'url' = 'jdbc:postgresql://h/db', "
                + "'username' = 'u', 'table-name' = 't', 'dead-letters.table-name' = 'x; DROP TABLE t'|"
                + "option 'dead-letters.table-name' must be 'table' or 'schema.table'",
        "a model option of another provider|" + COLUMNS + "|'store' = 'lucene', 'path' = '/tmp/i', "
                + "'model.base-url' = 'http://localhost:1'|option 'model.base-url' does not apply to "
                + "model.provider=all-minilm-l6-v2-q",
    })
    void aBadDefinitionIsRefusedNamingTheTableAndWhatIsWrong(String what, String columns, String options,
            String message) {
        index(columns, options);

        assertThatThrownBy(() -> tables.explainSql("INSERT INTO idx SELECT * FROM docs"))
                .satisfies(error -> assertThat(causes(error)).contains("idx").contains(message));
    }

    private static String causes(Throwable error) {
        StringBuilder messages = new StringBuilder();
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            messages.append(cause.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
