package dev.flinkrag.parsing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextDecodingTest {

    @Test
    void decodesUtf8AndDropsTheByteOrderMark() throws Exception {
        assertThat(TextDecoding.decodeUtf8("\uFEFFcaf\u00e9".getBytes(StandardCharsets.UTF_8))).isEqualTo("caf\u00e9");
    }

    @Test
    void rejectsWhatIsNotTextNamingTheField() {
        assertThatThrownBy(() -> TextDecoding.decodeUtf8(new byte[0]))
                .hasMessage("field 'content' is empty");
        assertThatThrownBy(() -> TextDecoding.decodeUtf8(" \n\t ".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("field 'content' holds only white space");
        assertThatThrownBy(() -> TextDecoding.decodeUtf8(new byte[] {'P', 'K', 3, 4, 0, 0}))
                .hasMessage("field 'content' looks binary (NUL byte at offset 4)");
        assertThatThrownBy(() -> TextDecoding.decodeUtf8("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)))
                .hasMessageStartingWith("field 'content' is not valid UTF-8");
    }
}
