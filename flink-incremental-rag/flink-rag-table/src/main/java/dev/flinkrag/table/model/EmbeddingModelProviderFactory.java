package dev.flinkrag.table.model;

import dev.flinkrag.embedding.chat.ChatModelOptions;
import dev.flinkrag.embedding.chat.ChatModels;
import dev.flinkrag.table.functions.FunctionOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.factories.ModelProviderFactory;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code CREATE MODEL … WITH ('provider' = 'flink-rag', …)}: an embedding model for {@code ML_PREDICT}, with the
 * batching, retries ({@code Retry-After} included), token limits and embedding cache of the pipeline; or, with a
 * STRING output and {@code chat.*} options, a chat model (OpenAI-compatible or Ollama) answering each row's prompt.
 *
 * <pre>{@code
 * CREATE MODEL embedder INPUT (text STRING) OUTPUT (embedding ARRAY<FLOAT>)
 * WITH ('provider' = 'flink-rag', 'model.provider' = 'openai', 'model.base-url' = 'https://api.openai.com/v1',
 *       'model.name' = 'text-embedding-3-small', 'model.api-key-env' = 'OPENAI_API_KEY');
 * SELECT id, embedding FROM ML_PREDICT(TABLE questions, MODEL embedder, DESCRIPTOR(question));
 * }</pre>
 */
@Internal
public final class EmbeddingModelProviderFactory implements ModelProviderFactory {

    public static final String IDENTIFIER = "flink-rag";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> keys = new HashSet<>(FunctionOptions.keys());
        keys.addAll(ChatModelOptions.ALL);
        return keys;
    }

    @Override
    public ModelProvider createModelProvider(Context context) {
        FactoryUtil.createModelProviderFactoryHelper(this, context).validate();
        String model = context.getObjectIdentifier().asSummaryString();
        requireSingleColumn(model, "INPUT", context.getCatalogModel().getResolvedInputSchema(),
                LogicalTypeRoot.VARCHAR, "STRING");
        Map<String, String> options = context.getCatalogModel().getOptions();
        List<Column> outputs = context.getCatalogModel().getResolvedOutputSchema().getColumns();
        if (outputs.size() == 1 && outputs.get(0).getDataType().getLogicalType().getTypeRoot() == LogicalTypeRoot.VARCHAR) {
            return chatModel(model, options);
        }
        requireSingleColumn(model, "OUTPUT", context.getCatalogModel().getResolvedOutputSchema(),
                LogicalTypeRoot.ARRAY, "ARRAY<FLOAT> (an embedding model) or STRING (a chat model)");
        LogicalType output = context.getCatalogModel().getResolvedOutputSchema().getColumns().get(0).getDataType()
                .getLogicalType();
        if (((ArrayType) output).getElementType().getTypeRoot() != LogicalTypeRoot.FLOAT) {
            throw new ValidationException("model " + model + ": the OUTPUT column must be ARRAY<FLOAT>, was " + output);
        }
        FunctionOptions checked = FunctionOptions.checked(context.getCatalogModel().getOptions(), "model " + model);
        return new EmbeddingPredictProvider(checked);
    }

    /** A model with a STRING output: a chat model, its {@code chat.*} options checked now. */
    private static ModelProvider chatModel(String model, Map<String, String> options) {
        HashMap<String, String> chat = ModelChat.chatOptions(options);
        if (!chat.containsKey(ChatModelOptions.PROVIDER.key())) {
            throw new ValidationException("model " + model + ": a model with a STRING output is a chat model and needs "
                    + "'chat.provider' (openai or ollama) with 'chat.base-url' and 'chat.model'");
        }
        try {
            ChatModels.fromOptions(chat);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("model " + model + ": " + e.getMessage(), e);
        }
        return new ChatPredictProvider(chat);
    }

    private static void requireSingleColumn(String model, String side, ResolvedSchema schema, LogicalTypeRoot root,
            String expected) {
        List<Column> columns = schema.getColumns();
        if (columns.size() != 1 || columns.get(0).getDataType().getLogicalType().getTypeRoot() != root) {
            throw new ValidationException("model " + model + ": a flink-rag model has one " + side + " column of type "
                    + expected + ", was " + columns.stream().map(c -> c.getName() + " " + c.getDataType()).toList());
        }
    }
}
