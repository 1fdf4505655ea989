package dev.flinkrag.embedding;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What a batcher does with the call in flight when its task is cancelled (a failover cancels every task). */
class EmbeddingBatcherCloseTest {

    private final CountDownLatch callStarted = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger outcomesTold = new AtomicInteger();

    @Test
    void aCallRunningAtCloseStillFillsTheCacheForTheRestartedTask() throws Exception {
        String modelId = "slow-model-" + UUID.randomUUID();
        EmbeddingBatcher cancelled = batcher(modelId);
        cancelled.submit("in flight when the task was cancelled", recording());
        assertThat(callStarted.await(10, TimeUnit.SECONDS)).isTrue();

        cancelled.close();
        answer.countDown();

        EmbeddingCache jvmCache = EmbeddingCache.forModel(modelId, 1 << 20, null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jvmCache.get("in flight when the task was cancelled") == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(jvmCache.get("in flight when the task was cancelled")).containsExactly(1f, 2f);

        // the restarted task finds it without a call; the cancelled task was told nothing
        EmbeddingBatcher restarted = batcher(modelId);
        float[][] served = new float[1][];
        restarted.submit("in flight when the task was cancelled", recording(served));
        assertThat(served[0]).containsExactly(1f, 2f);
        assertThat(calls).hasValue(1);
        assertThat(outcomesTold).as("outcomes told").hasValue(1); // the restarted task's only
        restarted.close();
    }

    private EmbeddingBatcher batcher(String modelId) {
        EmbeddingOptions options = EmbeddingOptions.builder().maxBatchSize(1).linger(Duration.ofMillis(1))
                .cacheMaxBytes(1 << 20).build();
        return new EmbeddingBatcher(provider(modelId), options, new UnregisteredMetricsGroup(), 1);
    }

    private EmbeddingModelProvider provider(String modelId) {
        EmbeddingModel slow = new EmbeddingModel() {
            @Override
            public int dimension() {
                return 2;
            }

            @Override
            public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
                calls.incrementAndGet();
                callStarted.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
                return Response.from(segments.stream().map(segment -> Embedding.from(new float[] {1f, 2f})).toList());
            }
        };
        return new EmbeddingModelProvider() {
            @Override
            public EmbeddingModel create() {
                return slow;
            }

            @Override
            public String modelId() {
                return modelId;
            }
        };
    }

    private EmbeddingBatcher.Outcome recording() {
        return recording(new float[1][]);
    }

    private EmbeddingBatcher.Outcome recording(float[][] vector) {
        return new EmbeddingBatcher.Outcome() {
            @Override
            public void embedded(float[] embedded) {
                vector[0] = embedded;
                outcomesTold.incrementAndGet();
            }

            @Override
            public void rejected(String reason) {
                outcomesTold.incrementAndGet();
            }

            @Override
            public void failed(Throwable error) {
                outcomesTold.incrementAndGet();
            }
        };
    }
}
