package dev.flinkrag.testing;

import dev.flinkrag.document.DocumentChange;

import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A seeded stream of document changes, most of them hostile: every kind the fuzz test of the whole pipeline must
 * survive, mixed with good text, PDF, DOCX and HTML documents and deletes. Change {@code i} is version {@code i /
 * DOCUMENTS + 1} of document {@code i % DOCUMENTS}, so it can be made on demand, in any task, from its number.
 */
public final class HostileDocuments {

    public enum Kind {
        GOOD_TEXT(false), GOOD_PDF(false), GOOD_DOCX(false), GOOD_HTML(false), DELETE(false),
        RANDOM_BYTES(true), ONE_MEGABYTE_WORD(true), ONE_CHARACTER_LINES(true), ONLY_WHITESPACE(true),
        ONLY_PUNCTUATION(true), CONTROL_CHARACTERS(true), NUL_BYTES(true), LONE_SURROGATES(true),
        RIGHT_TO_LEFT_AND_COMBINING(true), EMOJI_SEQUENCES(true), MIXED_ENCODINGS(true), LONG_RUNS(true),
        FIFTY_MEGABYTE_TEXT(true), DEEPLY_NESTED_HTML(true), CORRUPT_PDF(true), CORRUPT_DOCX(true),
        ZIP_BOMB_DOCX(true), FIFTY_THOUSAND_PAGE_PDF(true), BAD_METADATA(true), BAD_DOCUMENT_ID(true);

        public final boolean hostile;

        Kind(boolean hostile) {
            this.hostile = hostile;
        }
    }

    public static final int DOCUMENTS = 1_500;
    public static final int VERSIONS = 2;
    public static final int CHANGES = DOCUMENTS * VERSIONS;

    /** Kinds that are costly to make or to read come once each, on fixed documents; the rest are drawn at random. */
    private static final Map<Integer, List<Kind>> FIXED = Map.of(
            0, List.of(Kind.GOOD_TEXT, Kind.FIFTY_MEGABYTE_TEXT),
            1, List.of(Kind.ONE_MEGABYTE_WORD, Kind.GOOD_TEXT),
            2, List.of(Kind.ONE_CHARACTER_LINES, Kind.ONE_CHARACTER_LINES),
            3, List.of(Kind.GOOD_DOCX, Kind.ZIP_BOMB_DOCX),
            4, List.of(Kind.GOOD_PDF, Kind.FIFTY_THOUSAND_PAGE_PDF),
            5, List.of(Kind.DEEPLY_NESTED_HTML, Kind.DEEPLY_NESTED_HTML),
            6, List.of(Kind.BAD_DOCUMENT_ID, Kind.BAD_DOCUMENT_ID),
            7, List.of(Kind.GOOD_TEXT, Kind.BAD_METADATA),
            8, List.of(Kind.BAD_METADATA, Kind.GOOD_TEXT));
    private static final Kind[] DRAWN = {
        Kind.GOOD_TEXT, Kind.GOOD_TEXT, Kind.GOOD_TEXT, Kind.GOOD_HTML, Kind.GOOD_PDF, Kind.DELETE,
        Kind.RANDOM_BYTES, Kind.ONLY_WHITESPACE, Kind.ONLY_PUNCTUATION, Kind.CONTROL_CHARACTERS, Kind.NUL_BYTES,
        Kind.LONE_SURROGATES, Kind.RIGHT_TO_LEFT_AND_COMBINING, Kind.EMOJI_SEQUENCES, Kind.MIXED_ENCODINGS,
        Kind.LONG_RUNS, Kind.LONG_RUNS, Kind.CORRUPT_PDF, Kind.CORRUPT_DOCX, Kind.BAD_METADATA
    };

    private static final Map<Kind, byte[]> EXPENSIVE = new EnumMap<>(Kind.class);

    private HostileDocuments() {}

    public static Kind kindOf(long seed, int document, int version) {
        List<Kind> fixed = FIXED.get(document);
        if (fixed != null) {
            return fixed.get(version - 1);
        }
        return DRAWN[random(seed, document, version).nextInt(DRAWN.length)];
    }

    public static String docIdOf(int document) {
        if (document == 6) {
            return "bad\u0000id-" + "x".repeat(3_000);
        }
        return "docs/" + document + ".doc";
    }

    /** Change number {@code index}: version {@code index / DOCUMENTS + 1} of document {@code index % DOCUMENTS}. */
    public static DocumentChange change(long seed, long index) {
        int document = (int) (index % DOCUMENTS);
        int version = (int) (index / DOCUMENTS) + 1;
        return change(seed, document, version);
    }

    public static DocumentChange change(long seed, int document, int version) {
        Kind kind = kindOf(seed, document, version);
        Random random = random(seed, document, version);
        String id = docIdOf(document);
        Map<String, String> metadata = new HashMap<>(Map.of("file_name", document + ".doc", "kind", kind.name()));
        Prose prose = new Prose(random.nextLong());
        try {
            return switch (kind) {
                case GOOD_TEXT -> text(id, version, Prose.join(prose.paragraphs(1 + random.nextInt(6))), metadata);
                case GOOD_PDF -> bytes(id, version, SampleFiles.pdf(false), "application/pdf", metadata);
                case GOOD_DOCX -> bytes(id, version, SampleFiles.docx(), "application/octet-stream", metadata);
                case GOOD_HTML -> bytes(id, version, ("<html><head><title>" + prose.sentence() + "</title></head><body><p>"
                        + prose.paragraph() + "</p><p>" + prose.paragraph() + "</p></body></html>")
                        .getBytes(StandardCharsets.UTF_8), "text/html", metadata);
                case DELETE -> DocumentChange.delete(id, version, 0);
                case RANDOM_BYTES -> bytes(id, version, randomBytes(random, 1 + random.nextInt(20_000)),
                        random.nextBoolean() ? "text/plain" : "application/octet-stream", metadata);
                case ONE_MEGABYTE_WORD -> text(id, version, "Before " + letters(random, 1 << 20) + " after.", metadata);
                case ONE_CHARACTER_LINES -> text(id, version, "a\n".repeat(100_000), metadata);
                case ONLY_WHITESPACE -> text(id, version, " \t\n\r\u00A0\u2003\u3000".repeat(1 + random.nextInt(50)), metadata);
                case ONLY_PUNCTUATION -> text(id, version, "!?.,;:-*#|`~_()[]{}\n\n".repeat(1 + random.nextInt(200)), metadata);
                case CONTROL_CHARACTERS -> text(id, version, controlled(random, prose), metadata);
                case NUL_BYTES -> random.nextBoolean()
                        ? bytes(id, version, ("text\u0000with NUL " + prose.paragraph()).getBytes(StandardCharsets.UTF_8),
                                "text/plain", metadata)
                        : text(id, version, prose.paragraph().replace(' ', '\u0000'), metadata);
                case LONE_SURROGATES -> text(id, version, prose.paragraph() + " \uD800 broken \uDC00 pair \uDBFF", metadata);
                case RIGHT_TO_LEFT_AND_COMBINING -> text(id, version, "\u202Eשלום עולם\u202C مرحبا بالعالم e\u0301\u0302\u0303 "
                        + "Z\u0351\u0352\u0353\u0354\u0355".repeat(1 + random.nextInt(300)) + " " + prose.sentence(), metadata);
                case EMOJI_SEQUENCES -> text(id, version, "👩‍👩‍👧‍👦🏳️‍🌈🇺🇳".repeat(1 + random.nextInt(2_000)) + " "
                        + prose.sentence(), metadata);
                case MIXED_ENCODINGS -> bytes(id, version, mixedEncodings(prose), "text/plain", metadata);
                case LONG_RUNS -> text(id, version, longRuns(random, prose), metadata);
                case FIFTY_MEGABYTE_TEXT -> text(id, version, fiftyMegabytes(prose), metadata);
                case DEEPLY_NESTED_HTML -> bytes(id, version, ("<html><body>" + "<div>".repeat(10_000) + prose.paragraph()
                        + "</div>".repeat(10_000) + "</body></html>").getBytes(StandardCharsets.UTF_8), "text/html", metadata);
                case CORRUPT_PDF -> {
                    byte[] pdf = SampleFiles.pdf(false);
                    yield bytes(id, version, Arrays.copyOf(pdf, 1 + random.nextInt(pdf.length - 1)), "application/pdf", metadata);
                }
                case CORRUPT_DOCX -> {
                    byte[] docx = SampleFiles.docx();
                    byte[] broken = Arrays.copyOf(docx, docx.length);
                    for (int i = 0; i < 50; i++) {
                        broken[random.nextInt(broken.length)] = (byte) random.nextInt();
                    }
                    yield bytes(id, version, broken, "application/octet-stream", metadata);
                }
                case ZIP_BOMB_DOCX -> bytes(id, version, expensive(kind), "application/octet-stream", metadata);
                case FIFTY_THOUSAND_PAGE_PDF -> bytes(id, version, expensive(kind), "application/pdf", metadata);
                case BAD_METADATA -> {
                    metadata.put(random.nextBoolean() ? "author" : "notes",
                            random.nextBoolean() ? "Ada\u0000Lovelace" : "x".repeat(40_000));
                    yield text(id, version, prose.paragraph(), metadata);
                }
                case BAD_DOCUMENT_ID -> text(id, version, prose.paragraph(), metadata);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DocumentChange text(String id, int version, String text, Map<String, String> metadata) {
        return new DocumentChange(id, version, DocumentChange.Kind.UPSERT, text, null, null, metadata, 0, null);
    }

    private static DocumentChange bytes(String id, int version, byte[] bytes, String type, Map<String, String> metadata) {
        return DocumentChange.upsertBytes(id, version, bytes, type, metadata, 0);
    }

    private static Random random(long seed, int document, int version) {
        return new Random(seed * 1_000_003L + document * 31L + version);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String letters(Random random, int length) {
        char[] letters = new char[length];
        for (int i = 0; i < length; i++) {
            letters[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(letters);
    }

    private static String controlled(Random random, Prose prose) {
        StringBuilder text = new StringBuilder(prose.paragraph());
        for (int i = 0; i < 40; i++) {
            text.insert(random.nextInt(text.length()), (char) random.nextInt(32));
        }
        return text.append('\u007F').append('\u009B').toString();
    }

    private static byte[] mixedEncodings(Prose prose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(("Grüße " + prose.sentence()).getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(" Grüße aus Köln ".getBytes(StandardCharsets.ISO_8859_1));
        bytes.writeBytes(" 日本語 ".getBytes(java.nio.charset.Charset.forName("Shift_JIS")));
        return bytes.toByteArray();
    }

    /** Fingerprints, badges, base64 and URLs: "words" far longer than a chunk, as real READMEs hold them. */
    private static String longRuns(Random random, Prose prose) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 64 + random.nextInt(200); i++) {
            hex.append(i == 0 ? "" : ":").append(String.format("%02X", random.nextInt(256)));
        }
        byte[] blob = randomBytes(random, 500 + random.nextInt(20_000));
        return prose.sentence() + " The fingerprint is " + hex + ".\n\n[![build](https://img.shields.io/badge/"
                + "build-passing-brightgreen?style=flat&logo=" + "github".repeat(1 + random.nextInt(80)) + ")]\n\n"
                + java.util.Base64.getEncoder().encodeToString(blob) + "\n\n" + prose.paragraph();
    }

    private static String fiftyMegabytes(Prose prose) {
        StringBuilder text = new StringBuilder(50 << 20);
        String paragraph = prose.paragraph() + "\n\n";
        while (text.length() < 50 << 20) {
            text.append(paragraph);
        }
        return text.toString();
    }

    private static synchronized byte[] expensive(Kind kind) throws IOException {
        byte[] bytes = EXPENSIVE.get(kind);
        if (bytes == null) {
            bytes = kind == Kind.ZIP_BOMB_DOCX ? zipBombDocx() : pdfOf50000Pages();
            EXPENSIVE.put(kind, bytes);
        }
        return bytes;
    }

    /** A DOCX whose document part inflates to 1 GB of one repeated paragraph: about 1 MB on disk. */
    private static byte[] zipBombDocx() throws IOException {
        byte[] template = SampleFiles.docx();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out);
                java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(template))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                if (entry.getName().equals("word/document.xml")) {
                    writeBomb(zip);
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static void writeBomb(OutputStream zip) throws IOException {
        zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                + "wordprocessingml/2006/main\"><w:body>").getBytes(StandardCharsets.UTF_8));
        byte[] paragraph = ("<w:p><w:r><w:t>" + "bomb ".repeat(200) + "</w:t></w:r></w:p>").getBytes(StandardCharsets.UTF_8);
        for (long written = 0; written < 1L << 30; written += paragraph.length) {
            zip.write(paragraph);
        }
        zip.write("</w:body></w:document>".getBytes(StandardCharsets.UTF_8));
    }

    /** 50,000 pages that share one small content stream: a few MB, and minutes of work for a parser. */
    private static byte[] pdfOf50000Pages() throws IOException {
        try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDStream content = new PDStream(document);
            try (OutputStream stream = content.createOutputStream(COSName.FLATE_DECODE)) {
                stream.write("BT /F1 12 Tf 72 700 Td (Page of a very long report.) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            COSStream shared = content.getCOSObject();
            for (int i = 0; i < 50_000; i++) {
                PDPage page = new PDPage();
                page.getCOSObject().setItem(COSName.CONTENTS, shared);
                document.addPage(page);
            }
            document.save(out);
            return out.toByteArray();
        }
    }
}
