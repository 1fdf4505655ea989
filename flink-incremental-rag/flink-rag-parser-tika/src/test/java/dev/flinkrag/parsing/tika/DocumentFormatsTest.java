package dev.flinkrag.parsing.tika;

import dev.flinkrag.document.DocumentChange;
import dev.flinkrag.parsing.DocumentParsingFunction;
import dev.flinkrag.parsing.UnreadableDocumentException;
import dev.flinkrag.testing.SampleFiles;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PDF, DOCX and HTML through Apache Tika, detected from the bytes; corrupt and encrypted files refused with a reason. */
class DocumentFormatsTest {

    @Test
    void pdfTextTitleAndContentTypeAreKept() throws Exception {
        DocumentChange parsed = DocumentParsingFunction.parse(file("report.pdf", SampleFiles.pdf(false)));
        assertThat(parsed.text()).contains("Quarterly figures rose by four percent.");
        assertThat(parsed.metadata()).containsEntry("content_type", "application/pdf")
                .containsEntry("title", "Quarterly report").containsEntry("path", "docs/report.pdf");
    }

    @Test
    void docxIsDetectedFromItsBytesEvenUnderAnotherName() throws Exception {
        DocumentChange parsed = DocumentParsingFunction.parse(file("notes.bin", SampleFiles.docx()));
        assertThat(parsed.text()).contains("Meeting notes: ship the release on Friday.");
        assertThat(parsed.metadata())
                .containsEntry("content_type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
                .containsEntry("title", "Meeting notes");
    }

    @Test
    void htmlLosesItsMarkup() throws Exception {
        byte[] html = "<html><head><title>Help page</title></head><body><h1>Setup</h1><p>Run the installer.</p></body></html>"
                .getBytes(StandardCharsets.UTF_8);
        DocumentChange parsed = DocumentParsingFunction.parse(file("help.html", html));
        assertThat(parsed.text()).contains("Setup").contains("Run the installer.").doesNotContain("<p>");
        assertThat(parsed.metadata()).containsEntry("content_type", "text/html").containsEntry("title", "Help page");
    }

    @Test
    void encryptedAndCorruptFilesAreRefusedWithTheReason() throws Exception {
        assertThatThrownBy(() -> DocumentParsingFunction.parse(file("secret.pdf", SampleFiles.pdf(true))))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageContaining("encrypted");
        byte[] pdf = SampleFiles.pdf(false);
        assertThatThrownBy(() -> DocumentParsingFunction.parse(file("broken.pdf", Arrays.copyOf(pdf, pdf.length / 3))))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageContaining("Apache Tika cannot read it");
    }

    /** Bytes no parser recognises, and a format that has no text, are refused naming the type Tika detected. */
    @Test
    void anUnknownContentTypeIsRefusedNamingIt() {
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        assertThatThrownBy(() -> DocumentParsingFunction.parse(file("noise", noise)))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessageContaining("unknown content type").hasMessageContaining("application/octet-stream");
        byte[] png = java.util.Base64.getDecoder().decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
                + "2mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");
        assertThatThrownBy(() -> DocumentParsingFunction.parse(file("pixel.png", png)))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessageContaining("no text").hasMessageContaining("image/png");
    }

    private static DocumentChange file(String name, byte[] bytes) {
        return DocumentChange.upsertBytes("docs/" + name, 1, bytes, "application/octet-stream",
                Map.of("path", "docs/" + name, "file_name", name, "content_type", "application/octet-stream"), 0L);
    }
}
