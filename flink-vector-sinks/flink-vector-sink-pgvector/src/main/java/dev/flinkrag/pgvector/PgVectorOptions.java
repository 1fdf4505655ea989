package dev.flinkrag.pgvector;

import dev.flinkrag.postgres.PostgresConnections;
import dev.flinkrag.postgres.SqlIdentifiers;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where and how the pgvector sink writes. Build with {@link PgVectorSink#builder()}; names are checked
 * when the options are built, so a bad name fails the job submission, not a running task.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://db:5432/rag}
 * @param username database user
 * @param password the password, or {@code null}; never printed
 * @param passwordEnvironmentVariable environment variable holding the password on the TaskManagers, or {@code null}
 * @param table table name, optionally {@code schema.table}
 * @param dimension vector size; an existing table must have {@code vector(dimension)}
 * @param idColumn primary key column (text or uuid)
 * @param textColumn text column
 * @param metadataColumn jsonb column
 * @param vectorColumn {@code vector(n)} column
 * @param createTable create the table (and index) if it does not exist
 * @param hnswIndex create an HNSW index with the table
 * @param distance the index's distance
 * @param hnswM HNSW {@code m}
 * @param hnswEfConstruction HNSW {@code ef_construction}
 * @param maxMetadataBytes largest metadata JSON accepted per row
 * @param documentField metadata field naming each row's document; with {@code createTable} it gets an index, so
 *     the document retains the incremental pipeline sends find a document's rows fast; {@code null} for none
 */
@PublicEvolving
public record PgVectorOptions(
        String jdbcUrl,
        String username,
        @Nullable String password,
        @Nullable String passwordEnvironmentVariable,
        String table,
        int dimension,
        String idColumn,
        String textColumn,
        String metadataColumn,
        String vectorColumn,
        boolean createTable,
        boolean hnswIndex,
        PgVectorDistance distance,
        int hnswM,
        int hnswEfConstruction,
        int maxMetadataBytes,
        @Nullable String documentField)
        implements Serializable {

    public PgVectorOptions {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("option 'url' must be a jdbc:postgresql: URL, was '" + jdbcUrl + "'");
        }
        Objects.requireNonNull(username, "option 'username' is required");
        SqlIdentifiers.quoteTable("table-name", table);
        SqlIdentifiers.quote("id-column", idColumn);
        SqlIdentifiers.quote("text-column", textColumn);
        SqlIdentifiers.quote("metadata-column", metadataColumn);
        SqlIdentifiers.quote("vector-column", vectorColumn);
        if (dimension < 1 || dimension > 16_000) {
            throw new IllegalArgumentException("option 'dimension' must be between 1 and 16000, was " + dimension);
        }
        if (hnswM < 2 || hnswM > 100) {
            throw new IllegalArgumentException("option 'hnsw.m' must be between 2 and 100, was " + hnswM);
        }
        if (hnswEfConstruction < 4 || hnswEfConstruction > 1000 || hnswEfConstruction < 2 * hnswM) {
            throw new IllegalArgumentException("option 'hnsw.ef-construction' must be between 4 and 1000 and at "
                    + "least 2 * hnsw.m, was " + hnswEfConstruction);
        }
        if (maxMetadataBytes < 2) {
            throw new IllegalArgumentException("option 'metadata.max-bytes' must be at least 2, was " + maxMetadataBytes);
        }
        if (documentField != null && !documentField.matches("[A-Za-z_][A-Za-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("document field '" + documentField + "' must be letters, digits and "
                    + "underscores (at most 41), starting with a letter or underscore");
        }
    }

    /** User, password (if any) and the name the connection shows in pg_stat_activity. */
    Properties connectionProperties(String applicationName) {
        return PostgresConnections.properties(username, password, passwordEnvironmentVariable, "password-env",
                applicationName);
    }

    Connection connect(Properties properties) throws SQLException {
        return PostgresConnections.connect(jdbcUrl, properties);
    }

    @Override
    public String toString() {
        return "PgVectorOptions{url=" + jdbcUrl + ", username=" + username + ", password="
                + PostgresConnections.describePassword(password, passwordEnvironmentVariable) + ", table=" + table
                + ", dimension=" + dimension + ", columns=" + idColumn + "," + textColumn + "," + metadataColumn + ","
                + vectorColumn + ", createTable=" + createTable
                + ", hnswIndex=" + hnswIndex + ", distance=" + distance + ", m=" + hnswM + ", efConstruction="
                + hnswEfConstruction + ", maxMetadataBytes=" + maxMetadataBytes + ", documentField=" + documentField + "}";
    }
}
