package dev.flinkrag.serving.answer;

import dev.flinkrag.serving.retrieval.RetrievedChunk;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExtractiveAnswererTest {

    private static RetrievedChunk chunk(String id, String text) {
        return new RetrievedChunk(id, text, Map.of("doc_id", id), 0.9, 0.2);
    }

    @Test
    void picksTheSentencesSharingTheMostWordsInChunkOrderAndCitesTheirChunks() {
        RetrievedChunk coffee = chunk("coffee", "Espresso needs a fine grind. Bitter coffee is over-extracted: grind "
                + "coarser or brew shorter. Cups should be warm.");
        RetrievedChunk tea = chunk("tea", "Green tea turns bitter in water that is too hot. Steep it at 80 °C.");
        Answer answer = new ExtractiveAnswerer().answer("Why is my coffee bitter?", List.of(coffee, tea), null);
        assertThat(answer.response()).isEqualTo(ExtractiveAnswerer.ANSWER_LABEL
                + "Bitter coffee is over-extracted: grind coarser or brew shorter. [1] "
                + "Green tea turns bitter in water that is too hot. [2]");
        assertThat(answer.sources()).containsExactly(coffee, tea);
    }

    @Test
    void saysSoWhenNothingMatches() {
        Answer answer = new ExtractiveAnswerer().answer("volcanoes?", List.of(chunk("a", "Tides follow the moon.")), null);
        assertThat(answer.response()).isEqualTo(ExtractiveAnswerer.NO_MATCH);
        assertThat(answer.sources()).isEmpty();
    }

    @Test
    void summariesAreTheLeadingSentences() {
        assertThat(new ExtractiveAnswerer().summarize(List.of("Glaciers flow. They carve valleys.", "", "Tides rise."), null))
                .isEqualTo(ExtractiveAnswerer.SUMMARY_LABEL + "Glaciers flow. Tides rise.");
    }
}
