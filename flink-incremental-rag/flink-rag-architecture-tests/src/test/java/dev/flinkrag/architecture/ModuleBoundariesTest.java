package dev.flinkrag.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.apache.flink.annotation.Experimental;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.Public;
import org.apache.flink.annotation.PublicEvolving;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The library's public API boundary and module layering, checked on the compiled main classes of every module:
 * each public type says how stable it is, and no module uses a module it must not depend on (the table in the
 * README's "Modules" section).
 */
class ModuleBoundariesTest {

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("flink-rag-test-utils"))
            .importPackages("dev.flinkrag");

    /** Each module's packages ({@code ..} includes sub-packages) and the modules it may use besides itself. */
    private record Module(List<String> packages, Set<String> uses) {}

    private static final Map<String, Module> MODULES = new LinkedHashMap<>();

    static {
        module("common", List.of("dev.flinkrag.common.."));
        module("embedding-core", List.of("dev.flinkrag.embedding", "dev.flinkrag.embedding.http..",
                "dev.flinkrag.embedding.chat.."), "common");
        module("embedding-onnx", List.of("dev.flinkrag.embedding.onnx.."), "embedding-core", "common");
        module("embedding-openai", List.of("dev.flinkrag.embedding.openai.."), "embedding-core", "common");
        module("embedding-ollama", List.of("dev.flinkrag.embedding.ollama.."), "embedding-core", "common");
        module("postgres", List.of("dev.flinkrag.postgres.."), "common");
        module("sinks-core", List.of("dev.flinkrag.sink.."), "common");
        module("lucene", List.of("dev.flinkrag.lucene.."), "sinks-core", "common");
        module("pgvector", List.of("dev.flinkrag.pgvector.."), "sinks-core", "postgres", "common");
        module("langchain4j", List.of("dev.flinkrag.langchain4j"), "sinks-core", "common");
        module("stores", List.of("dev.flinkrag.langchain4j.qdrant..", "dev.flinkrag.langchain4j.weaviate..",
                "dev.flinkrag.langchain4j.milvus..", "dev.flinkrag.langchain4j.pinecone..",
                "dev.flinkrag.langchain4j.chroma..", "dev.flinkrag.langchain4j.elasticsearch..",
                "dev.flinkrag.langchain4j.opensearch.."), "langchain4j", "sinks-core", "common");
        module("rag-core", List.of("dev.flinkrag.document..", "dev.flinkrag.parsing", "dev.flinkrag.chunking..",
                "dev.flinkrag.pipeline..", "dev.flinkrag.source.changelog.."),
                "embedding-core", "sinks-core", "common");
        module("parser-tika", List.of("dev.flinkrag.parsing.tika.."), "rag-core", "common");
        module("source-files", List.of("dev.flinkrag.source.folder.."), "rag-core", "common");
        module("source-kafka", List.of("dev.flinkrag.source.kafka.."), "rag-core", "common");
        module("source-postgres", List.of("dev.flinkrag.source.postgres.."), "rag-core", "postgres", "common");
        module("table", List.of("dev.flinkrag.table.."), "rag-core", "source-files", "source-postgres", "lucene",
                "pgvector", "postgres", "sinks-core", "embedding-core", "common");
        module("serving", List.of("dev.flinkrag.serving.."), "lucene", "pgvector", "postgres", "sinks-core",
                "embedding-core", "embedding-onnx", "common");
    }

    private static void module(String name, List<String> packages, String... uses) {
        MODULES.put(name, new Module(packages, Set.of(uses)));
    }

    @Test
    void everyPublicTypeSaysHowStableItIs() {
        ArchRule rule = classes().that().arePublic().and().areTopLevelClasses()
                .should().beAnnotatedWith(PublicEvolving.class)
                .orShould().beAnnotatedWith(Experimental.class)
                .orShould().beAnnotatedWith(Internal.class)
                .orShould().beAnnotatedWith(Public.class)
                .because("users must see which types they can build on (Flink's API stability annotations)");
        rule.check(LIBRARY);
    }

    @Test
    void noModuleUsesOneItMustNotDependOn() {
        for (Map.Entry<String, Module> module : MODULES.entrySet()) {
            List<String> forbidden = new ArrayList<>();
            MODULES.forEach((name, other) -> {
                if (!name.equals(module.getKey()) && !module.getValue().uses().contains(name)) {
                    forbidden.addAll(other.packages());
                }
            });
            noClasses().that().resideInAnyPackage(module.getValue().packages().toArray(String[]::new))
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                    .because("module " + module.getKey() + " may use only " + module.getValue().uses())
                    .check(LIBRARY);
        }
    }

    @Test
    void everyLibraryPackageBelongsToAModule() {
        List<String> all = MODULES.values().stream().flatMap(module -> module.packages().stream()).toList();
        classes().should().resideInAnyPackage(all.toArray(String[]::new))
                .because("a package outside the table escapes the layering check")
                .check(LIBRARY);
    }
}
