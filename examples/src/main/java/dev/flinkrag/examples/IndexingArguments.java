package dev.flinkrag.examples;

import dev.flinkrag.chunking.ChunkingOptions;
import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.embedding.EmbeddingModels;
import dev.flinkrag.embedding.EmbeddingOptions;
import dev.flinkrag.parsing.ParsingOptions;
import dev.flinkrag.pipeline.IndexingPipeline;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.ParameterTool;

import java.util.Map;

/**
 * The pipeline of the streaming examples, configured by the library's own option keys given as arguments:
 * {@code --parsing.timeout 30s}, {@code --chunking.max-tokens 200}, {@code --model.provider openai --model.base-url …
 * --model.name …} (default: all-MiniLM-L6-v2 in process), {@code --embedding.cache.directory /data/cache}, ….
 * An unknown key of those families is refused, naming the known ones.
 */
final class IndexingArguments {

    private IndexingArguments() {}

    static IndexingPipeline.Embedded pipeline(DataStream<DocumentChange> documents, ParameterTool arguments) {
        Map<String, String> options = arguments.toMap();
        return IndexingPipeline.named("flink-rag")
                .read(documents)
                .parse(ParsingOptions.fromOptions(options))
                .chunk(ChunkingOptions.fromOptions(options))
                .embed(EmbeddingModels.fromOptions(options), EmbeddingOptions.fromOptions(options));
    }
}
