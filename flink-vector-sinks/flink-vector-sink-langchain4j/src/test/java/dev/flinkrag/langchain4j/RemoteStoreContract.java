package dev.flinkrag.langchain4j;

import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * What every ready-made store builder must do, with no server behind it (these servers cannot run here; Chroma's
 * wire protocol is tested end to end in its module): survive Java serialization as a Flink job ships it, never
 * print its secret, and link against this LangChain4j core — creating the store either succeeds (clients that
 * connect lazily) or fails for want of a server, never with a linkage error.
 */
public abstract class RemoteStoreContract {

    protected static final String KEY = "sk-very-secret-key";

    /** The store under test, pointed at {@code 127.0.0.1:closedPort} (nothing listens there), with {@link #KEY}. */
    protected abstract EmbeddingStoreProvider provider(int closedPort) throws IOException;

    @Test
    void linksAgainstThisLangChain4jAndNeverShowsItsSecret() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        EmbeddingStoreProvider provider = provider(closed);
        assertThat(provider.toString()).doesNotContain(KEY);
        EmbeddingStoreProvider shipped = InstantiationUtil.clone(provider);
        Throwable failure = null;
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(60), shipped::create);
        } catch (Throwable e) {
            failure = e;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            assertThat(cause).as(provider + " failed with " + failure).isNotInstanceOf(LinkageError.class);
            assertThat(String.valueOf(cause.getMessage())).doesNotContain(KEY);
        }
        System.out.println(provider + ": " + (failure == null ? "created" : "failed: " + failure));
    }

    /** Nothing listens on the port just closed. */
    protected static String localUrl(int port) throws IOException {
        return "http://127.0.0.1:" + port;
    }
}
