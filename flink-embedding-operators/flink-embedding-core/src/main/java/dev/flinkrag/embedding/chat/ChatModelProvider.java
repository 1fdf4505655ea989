package dev.flinkrag.embedding.chat;

import dev.langchain4j.model.chat.ChatModel;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Creates LangChain4j {@link ChatModel}s of one server, where they are used (a server's request thread, an
 * operator's {@code open}), since clients are not serializable. Implementations turn LangChain4j's own retries off:
 * {@link ChatClient} retries with this library's policy. API keys never appear in {@link #toString}.
 */
@PublicEvolving
public interface ChatModelProvider extends Serializable {

    /** A client for model {@code modelName} on this provider's server. */
    ChatModel create(String modelName);

    /** The model a request that names none is answered by. */
    String defaultModel();

    /** Names the server and protocol in messages and logs, e.g. {@code openai-compatible:http://host/v1}. */
    String serverId();
}
