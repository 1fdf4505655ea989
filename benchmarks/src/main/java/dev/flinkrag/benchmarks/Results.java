package dev.flinkrag.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a benchmark leaves its figures: {@code <name>.md} for people and {@code <name>.json} for {@link BenchmarkReport}'s
 * table and plots, both saying on which machine, on which day and by which command they were measured.
 */
final class Results {

    static final ObjectMapper JSON = new ObjectMapper();

    private Results() {}

    /** Cores, processor and memory of this machine, and the Java that ran the benchmark. */
    static String machine() {
        String processor = "unknown processor";
        try {
            processor = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst().orElse(processor);
        } catch (IOException | RuntimeException notLinux) {
            // the processor's name is a courtesy
        }
        long memoryGb = Math.round(((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() / 1e9);
        return String.format("%d cores (%s), %d GB, Java %s", Runtime.getRuntime().availableProcessors(), processor,
                memoryGb, Runtime.version());
    }

    static String command(Class<?> benchmark) {
        return "mvn -B -q -pl benchmarks exec:exec -Dbenchmark=" + benchmark.getSimpleName();
    }

    /** The line every report carries under its title. */
    static String provenance(Class<?> benchmark) {
        return "Machine: " + machine() + "; " + LocalDate.now() + "; command: `" + command(benchmark) + "`.";
    }

    /** Writes {@code markdown} and {@code data} (anything Jackson writes) with the machine, date and command. */
    static void write(Path directory, String name, Class<?> benchmark, String markdown, Object data) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("benchmark", benchmark.getSimpleName());
        json.put("machine", machine());
        json.put("date", LocalDate.now().toString());
        json.put("command", command(benchmark));
        json.put("data", data);
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".md"), markdown);
        JSON.writerWithDefaultPrettyPrinter().writeValue(directory.resolve(name + ".json").toFile(), json);
        System.out.print(markdown);
        System.out.println("written to " + directory.resolve(name + ".md").toAbsolutePath() + " and .json");
    }
}
