package dev.flinkrag.serving.index;

import dev.flinkrag.lucene.LuceneEmbeddingStore;
import dev.flinkrag.pgvector.PgVectorEmbeddingStore;
import dev.flinkrag.pgvector.PgVectorOptions;
import dev.flinkrag.serving.filter.PathwayFilterParser;
import dev.flinkrag.testutils.PostgresServer;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random Pathway filters over one corpus: what LangChain4j's in-memory semantics select equals what the Lucene and
 * the pgvector search return with the filter pushed down, hit for hit, with k as large as the corpus.
 */
class FilterPushdownITCase {

    private static final long SEED = 20261202L;
    private static final int ENTRIES = 200;
    private static final int FILTERS = 400;
    private static final String[] OWNERS = {"albert", "bea", "carl", "o'neil"};

    @TempDir
    static Path luceneDir;

    private static final List<String> ids = new ArrayList<>();
    private static final List<Metadata> metadata = new ArrayList<>();
    private static LuceneEmbeddingStore lucene;
    private static PgVectorEmbeddingStore pgvector;

    @BeforeAll
    static void writeCorpus() {
        Random random = new Random(SEED);
        List<Embedding> vectors = new ArrayList<>();
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            Metadata entry = new Metadata()
                    .put("owner", OWNERS[random.nextInt(OWNERS.length)])
                    .put("path", "/docs/" + (random.nextBoolean() ? "a" : "b") + "/" + random.nextInt(30)
                            + (random.nextBoolean() ? ".md" : ".txt"))
                    .put("size", (long) random.nextInt(1000))
                    .put("weight", Math.round(random.nextDouble() * 100) / 100.0);
            if (random.nextInt(4) == 0) {
                entry.put("tenant", "t" + random.nextInt(3));
            }
            ids.add(UUID.nameUUIDFromBytes(("entry-" + i).getBytes()).toString());
            metadata.add(entry);
            segments.add(TextSegment.from("text " + i, entry));
            vectors.add(randomVector(random));
        }
        lucene = LuceneEmbeddingStore.open(luceneDir.resolve("index"));
        lucene.addAll(ids, vectors, segments);
        pgvector = PgVectorEmbeddingStore.open(PgVectorOptions.builder().url(PostgresServer.get().createDatabase())
                .username("postgres").table("chunks").dimension(8).createTable(true).build());
        pgvector.addAll(ids, vectors, segments);
    }

    @AfterAll
    static void close() {
        lucene.close();
        pgvector.close();
    }

    @Test
    void pushedDownFiltersSelectWhatTheInMemorySemanticsSelect() {
        Random random = new Random(SEED + 1);
        int nonTrivial = 0;
        for (int i = 0; i < FILTERS; i++) {
            String expression = filter(random, 0);
            Filter filter = PathwayFilterParser.parse(expression);
            Set<String> expected = new TreeSet<>();
            for (int e = 0; e < ENTRIES; e++) {
                if (filter.test(metadata.get(e))) {
                    expected.add(ids.get(e));
                }
            }
            Embedding query = randomVector(random);
            assertThat(hits(lucene, query, filter)).as("Lucene, filter %s", expression).isEqualTo(expected);
            assertThat(hits(pgvector, query, filter)).as("pgvector, filter %s", expression).isEqualTo(expected);
            if (!expected.isEmpty() && expected.size() < ENTRIES) {
                nonTrivial++;
            }
        }
        assertThat(nonTrivial).as("filters selecting some but not all entries").isGreaterThan(FILTERS / 2);
    }

    @Test
    void aSelectiveFilterStillFillsK() {
        // the 7 entries of one path prefix and owner: a nearest-neighbour search that filtered afterwards would
        // find few of them among the 10 nearest of 200
        Filter filter = PathwayFilterParser.parse("owner == 'bea' && globmatch('/docs/a/1*', path)");
        long matching = metadata.stream().filter(filter::test).count();
        assertThat(matching).isBetween(3L, 20L);
        Embedding query = randomVector(new Random(7));
        for (EmbeddingStore<TextSegment> store : List.<EmbeddingStore<TextSegment>>of(lucene, pgvector)) {
            List<EmbeddingMatch<TextSegment>> found = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(query).maxResults(10).filter(filter).build()).matches();
            assertThat(found).hasSize((int) Math.min(10, matching));
        }
    }

    private static Set<String> hits(EmbeddingStore<TextSegment> store, Embedding query, Filter filter) {
        return store.search(EmbeddingSearchRequest.builder().queryEmbedding(query).maxResults(ENTRIES).filter(filter)
                        .build())
                .matches().stream().map(EmbeddingMatch::embeddingId).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A random filter in Pathway's syntax; comparisons keep each field's type, as real metadata does. */
    private static String filter(Random random, int depth) {
        int choice = random.nextInt(depth >= 3 ? 10 : 14);
        return switch (choice) {
            case 0 -> "owner == " + string(random, OWNERS[random.nextInt(OWNERS.length)]);
            case 1 -> "owner != " + string(random, OWNERS[random.nextInt(OWNERS.length)]);
            case 2 -> "size " + comparator(random) + " `" + random.nextInt(1000) + "`";
            case 3 -> "`" + random.nextInt(1000) + "` " + comparator(random) + " size";
            case 4 -> "weight " + comparator(random) + " `" + Math.round(random.nextDouble() * 100) / 100.0 + "`";
            case 5 -> "size " + comparator(random) + " `" + random.nextInt(1000) + ".5`";
            case 6 -> "contains(path, '" + (random.nextBoolean() ? "/a/" : "1") + "')";
            case 7 -> "globmatch('" + glob(random) + "', path)";
            case 8 -> "path " + comparator(random) + " '/docs/" + (random.nextBoolean() ? "a" : "b") + "/" + random.nextInt(30) + "'";
            case 9 -> "tenant " + (random.nextBoolean() ? "==" : "!=") + " 't" + random.nextInt(3) + "'";
            case 10, 11 -> filter(random, depth + 1) + (random.nextBoolean() ? " && " : " || ") + filter(random, depth + 1);
            case 12 -> "!(" + filter(random, depth + 1) + ")";
            default -> "(" + filter(random, depth + 1) + ")";
        };
    }

    private static String comparator(Random random) {
        return List.of("==", "!=", "<", "<=", ">", ">=").get(random.nextInt(6));
    }

    /** A string literal in one of its three spellings: raw, JSON in backticks, bare word in backticks. */
    private static String string(Random random, String value) {
        return switch (value.contains("'") ? 0 : random.nextInt(3)) {
            case 0 -> "'" + value.replace("'", "\\'") + "'";
            case 1 -> "`\"" + value + "\"`";
            default -> "`" + value + "`";
        };
    }

    private static String glob(Random random) {
        return List.of("/docs/a/*", "**/*.md", "/docs/?/1*.txt", "/docs/[ab]/2?.md", "/docs/[!a]/*", "*/b/*",
                "/docs/a/1.md").get(random.nextInt(7));
    }

    private static Embedding randomVector(Random random) {
        float[] vector = new float[8];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        return Embedding.from(vector);
    }
}
