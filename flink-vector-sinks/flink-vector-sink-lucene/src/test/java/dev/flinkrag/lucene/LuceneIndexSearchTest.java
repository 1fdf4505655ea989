package dev.flinkrag.lucene;

import dev.flinkrag.sink.VectorOperation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LuceneIndexSearchTest {

    @TempDir
    Path temp;

    /**
     * Top-1 search must find the true nearest neighbour. Lucene uses k as the HNSW beam width, so a plain
     * k=1 search is a greedy walk that misses it for a share of queries (seen as a wrong answer to the
     * {@code query --k 1} subcommand); the index searches a wider beam and keeps the best k.
     */
    @Test
    void smallKSearchesFindTheExactNearestNeighbour() throws Exception {
        Random random = new Random(3);
        List<float[]> vectors = new ArrayList<>();
        List<VectorOperation> upserts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            float[] vector = randomUnitVector(random, 48);
            vectors.add(vector);
            upserts.add(VectorOperation.upsert("v" + i, "text " + i, vector, Map.of()));
        }
        LuceneIndex index = LuceneIndexes.acquire(temp);
        try {
            for (int from = 0; from < upserts.size(); from += 50) {
                index.apply(upserts.subList(from, from + 50)); // several segments, as a live index has
            }
            int misses = 0;
            for (int q = 0; q < 300; q++) {
                float[] query = randomUnitVector(random, 48);
                String exact = "v" + nearest(vectors, query);
                if (!index.search(query, 1, null).get(0).entry().id().equals(exact)) {
                    misses++;
                }
            }
            assertThat(misses).as("top-1 misses out of 300 queries").isZero();
        } finally {
            LuceneIndexes.release(index);
        }
    }

    private static int nearest(List<float[]> vectors, float[] query) {
        int best = -1;
        double bestDot = -2;
        for (int i = 0; i < vectors.size(); i++) {
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += vectors.get(i)[d] * query[d];
            }
            if (dot > bestDot) {
                bestDot = dot;
                best = i;
            }
        }
        return best;
    }

    private static float[] randomUnitVector(Random random, int dimensions) {
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int d = 0; d < dimensions; d++) {
            vector[d] = (float) random.nextGaussian();
            norm += vector[d] * vector[d];
        }
        for (int d = 0; d < dimensions; d++) {
            vector[d] /= (float) Math.sqrt(norm);
        }
        return vector;
    }
}
