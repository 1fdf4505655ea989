package dev.flinkrag.embedding.onnx;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each job on a session cluster (and each SQL gateway session) loads the jar in a class loader of its own; the
 * in-process tokenizer must work in every one of them. Before, the second failed: "Native Library
 * …/libtokenizers.so already loaded in another classloader".
 */
class NativeTokenizerLibraryTest {

    @Test
    void theTokenizerWorksInSeveralClassLoadersOfOneJvm() throws Exception {
        List<URL> classpath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            classpath.add(Path.of(entry).toUri().toURL());
        }
        for (int job = 0; job < 3; job++) {
            try (URLClassLoader loader = new URLClassLoader(classpath.toArray(URL[]::new),
                    ClassLoader.getPlatformClassLoader())) {
                Object provider = loader.loadClass(InProcessModels.class.getName())
                        .getMethod("allMiniLmL6V2QTokenizer").invoke(null);
                Object tokenizer = loader.loadClass("dev.flinkrag.embedding.TokenCountEstimatorProvider")
                        .getMethod("create").invoke(provider);
                Object tokens = loader.loadClass("dev.langchain4j.model.TokenCountEstimator")
                        .getMethod("estimateTokenCountInText", String.class)
                        .invoke(tokenizer, "Sharpen the knife on a whetstone.");
                assertThat((Integer) tokens).as("class loader %d", job).isPositive();
            }
        }
    }
}
