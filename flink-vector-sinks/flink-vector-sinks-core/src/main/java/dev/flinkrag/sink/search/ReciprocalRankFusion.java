package dev.flinkrag.sink.search;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): an item's score is the sum over the ranked
 * lists that hold it of {@code 1 / (k + rank)}, rank counted from 1. It needs no score normalisation, so
 * BM25 scores and cosine similarities can be fused as they are.
 *
 * <p>The first item of each ranking also gets a bonus of {@code 1 / k}, so it stays ahead of every item that is first
 * in no ranking (those score at most {@code 2 / (k + 2)} over two rankings, a leader at least {@code 1 / (k + 1) + 1 / k}).
 * Without it, an exact match that only one side finds — a unique identifier that BM25 ranks first and the vector
 * search misses — loses to any item both sides rank moderately well, and drops below k = 3.
 *
 * <p>Shared by every store with a hybrid search (Lucene, pgvector), so both rank the same lists the same way.
 */
@Internal
public final class ReciprocalRankFusion {

    /** The constant of the original paper; it damps the weight of the very first ranks. */
    public static final int DEFAULT_K = 60;

    private ReciprocalRankFusion() {}

    /** Items of all lists by fused score, best first, at most {@code limit}; ties keep first-seen order. */
    public static <T> List<Map.Entry<T, Double>> fuse(List<List<T>> rankings, int k, int limit) {
        Map<T, Double> scores = new LinkedHashMap<>();
        for (List<T> ranking : rankings) {
            for (int rank = 1; rank <= ranking.size(); rank++) {
                double score = 1.0 / (k + rank) + (rank == 1 ? 1.0 / k : 0);
                scores.merge(ranking.get(rank - 1), score, Double::sum);
            }
        }
        List<Map.Entry<T, Double>> fused = new ArrayList<>(scores.entrySet());
        fused.sort(Map.Entry.<T, Double>comparingByValue(Comparator.reverseOrder()));
        return fused.subList(0, Math.min(limit, fused.size()));
    }
}
