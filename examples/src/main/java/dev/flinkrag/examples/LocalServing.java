package dev.flinkrag.examples;

import dev.flinkrag.embedding.onnx.InProcessModels;
import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.serving.RagServer;
import dev.flinkrag.serving.index.ServedIndex;
import dev.flinkrag.serving.retrieval.Retriever;
import dev.flinkrag.serving.security.AccessControl;
import dev.flinkrag.serving.status.PipelineStatus;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How the local examples run: the job in this JVM's MiniCluster, its Flink REST API on a free loopback port, and a
 * {@link RagServer} over the Lucene index the job writes (sharing the sink's index, so it sees each flush at once),
 * whose status page reads the job's dead letters and cache hits through that REST API.
 */
final class LocalServing {

    private LocalServing() {}

    /** Binds the MiniCluster's REST API to a free loopback port, in {@code settings}; returns the port. */
    static int bindRestApi(Map<String, String> settings) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        settings.put("rest.bind-address", "127.0.0.1");
        settings.put("rest.address", "127.0.0.1");
        settings.put("rest.bind-port", Integer.toString(port));
        return port;
    }

    /**
     * Starts serving {@code index} (the server binds first, so a busy port fails before any work starts), then the
     * job; returns when the job ends. {@code serving}: the server's options ({@code server.port}, {@code chat.*}, …).
     */
    static void serveWhileRunning(StreamExecutionEnvironment env, String jobName, Path index, int restPort,
            Configuration serving, Consumer<JobClient> started, Consumer<RagServer> announce) throws Exception {
        Configuration options = new Configuration(serving);
        options.set(PipelineStatus.REST_URL, "http://127.0.0.1:" + restPort);
        try (LuceneEmbeddingStore store = LuceneEmbeddingStore.open(index);
                ServedIndex served = ServedIndex.lucene(store, "Lucene index " + index);
                RagServer server = RagServer.start(new Retriever(served, InProcessModels.allMiniLmL6V2Q().create()),
                        AccessControl.open(), options)) {
            JobClient job = env.executeAsync(jobName);
            started.accept(job);
            announce.accept(server);
            job.getJobExecutionResult().get();
        }
    }
}
