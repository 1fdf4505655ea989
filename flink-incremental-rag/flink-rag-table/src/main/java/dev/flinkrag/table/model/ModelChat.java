package dev.flinkrag.table.model;

import dev.flinkrag.embedding.chat.ChatClient;
import dev.flinkrag.embedding.chat.ChatFailedException;
import dev.flinkrag.embedding.chat.ChatModels;

import dev.langchain4j.data.message.UserMessage;

import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What a {@code flink-rag} chat model's predict functions share: the chat client of the model's {@code chat.*}
 * options (which retries 429, 5xx and timeouts itself) and the threads its blocking calls run on. Each row's prompt
 * is one user message; the response is the row's one STRING column. A NULL prompt, or one the model refuses (a 4xx
 * other than 401, 403, 404 and 429), gives a NULL response, logged and counted ({@code mlPredict.refused}); a
 * model still failing after its retries, or rejecting the key or the model name, fails the job.
 */
final class ModelChat implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelChat.class);
    /** Calls in flight per subtask; Flink's async operator bounds them too (table.exec.async-ml-predict.*). */
    private static final int THREADS = 16;

    private final ChatClient chat;
    private final ExecutorService calls;
    private final Counter refused;

    ModelChat(HashMap<String, String> options, FunctionContext context) {
        this.chat = ChatModels.fromOptions(options).orElseThrow(() ->
                new IllegalStateException("a chat model needs 'chat.provider'"));
        this.calls = Executors.newFixedThreadPool(THREADS, new ExecutorThreadFactory("flink-rag-ml-predict-chat"));
        this.refused = context.getMetricGroup().addGroup("mlPredict").counter("refused");
    }

    CompletableFuture<Collection<RowData>> respond(RowData input) {
        if (input.isNullAt(0)) {
            return CompletableFuture.completedFuture(List.of(GenericRowData.of((Object) null)));
        }
        String prompt = input.getString(0).toString();
        return CompletableFuture.supplyAsync(() -> List.of(GenericRowData.of(response(prompt))), calls);
    }

    private StringData response(String prompt) {
        try {
            return StringData.fromString(chat.chat(null, List.of(UserMessage.from(prompt))));
        } catch (ChatFailedException e) {
            if (!e.refusedRequest()) {
                throw e;
            }
            refused.inc();
            LOG.warn("the chat model refused a prompt of {} characters (HTTP {}); its response is NULL",
                    prompt.length(), e.status().getAsInt());
            return null;
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }

    /** The {@code chat.*} options of a model's options. */
    static HashMap<String, String> chatOptions(Map<String, String> options) {
        HashMap<String, String> chat = new HashMap<>();
        options.forEach((key, value) -> {
            if (key.startsWith("chat.")) {
                chat.put(key, value);
            }
        });
        return chat;
    }
}
