package dev.flinkrag.source.changelog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Map;

/**
 * Reads the document columns of one changelog row, whatever its Java form ({@code Row} of the DataStream bridge,
 * {@code RowData} inside a table sink): so that every way into the pipeline maps rows to document changes alike.
 */
@Internal
public interface ChangelogRowReader<T> extends Serializable {

    /** The document id, or {@code null} when the id column is NULL. */
    @Nullable
    String idOf(T row);

    RowKind kindOf(T row);

    /** The document's text, or {@code null} when the text column is NULL. */
    @Nullable
    String textOf(T row);

    /** The metadata columns' non-NULL values as text. */
    Map<String, String> metadataOf(T row);

    /** The id column's name, for messages. */
    String idColumn();

    /** The text column's name, for messages. */
    String textColumn();
}
