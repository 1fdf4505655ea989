package dev.flinkrag.sink;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Optional;

/** A store that keeps an {@link IndexState}; the Lucene and pgvector stores do. */
@PublicEvolving
public interface IndexStateSource {

    /** The state the index's writers recorded, or empty if none wrote one yet. */
    Optional<IndexState> indexState();
}
