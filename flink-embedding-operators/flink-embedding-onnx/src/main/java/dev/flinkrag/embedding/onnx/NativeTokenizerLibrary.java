package dev.flinkrag.embedding.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Loads the tokenizers' native library (DJL's {@code libtokenizers}) once per class loader from a copy of its own.
 *
 * <p>A JVM binds a native library file to the first class loader that loads it, and DJL extracts it to one fixed
 * path ({@code ~/.djl.ai/tokenizers/…}). On a session cluster every job, and in a SQL gateway every session, loads
 * this jar in a class loader of its own, so the second one to use an in-process model would fail with "already
 * loaded in another classloader". A copy at a path of its own is a library of its own: before DJL first loads the
 * library in this class loader, the copy is pointed to by DJL's {@code RUST_LIBRARY_PATH} override, set only while
 * DJL's loader class initialises (under the lock of the system properties, which every class loader shares).
 */
final class NativeTokenizerLibrary {

    private static final String OVERRIDE = "RUST_LIBRARY_PATH";
    private static final String DJL_LOADER = "ai.djl.huggingface.tokenizers.jni.LibUtils";

    private static boolean loaded;

    private NativeTokenizerLibrary() {}

    /** Makes sure this class loader's DJL has its native library; call before any tokenizer is created. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        ClassLoader loader = NativeTokenizerLibrary.class.getClassLoader();
        String name = System.mapLibraryName("tokenizers");
        try (InputStream library = loader.getResourceAsStream("native/lib/" + platform() + "/cpu/" + name)) {
            if (library == null) {
                loaded = true; // a platform this jar has no library for: DJL reports it itself
                return;
            }
            Path directory = Files.createTempDirectory("flink-rag-tokenizers");
            Path copy = directory.resolve(name);
            Files.copy(library, copy);
            copy.toFile().deleteOnExit();
            directory.toFile().deleteOnExit();
            synchronized (System.getProperties()) {
                String before = System.getProperty(OVERRIDE);
                System.setProperty(OVERRIDE, copy.toString());
                try {
                    Class.forName(DJL_LOADER, true, loader);
                } finally {
                    if (before == null) {
                        System.clearProperty(OVERRIDE);
                    } else {
                        System.setProperty(OVERRIDE, before);
                    }
                }
            }
            loaded = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the tokenizers' native library to a temporary directory", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("DJL's tokenizers are missing from the classpath", e);
        }
    }

    /** DJL's name of this platform's native library folder, e.g. {@code linux-x86_64} or {@code osx-aarch64}. */
    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String system = os.startsWith("mac") ? "osx" : os.startsWith("win") ? "win" : "linux";
        String machine = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                : arch.equals("arm64") || arch.equals("aarch64") ? "aarch64" : arch;
        return system + "-" + machine;
    }
}
