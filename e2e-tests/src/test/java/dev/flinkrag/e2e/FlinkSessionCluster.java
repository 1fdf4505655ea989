package dev.flinkrag.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real Flink session cluster on loopback: a JobManager and one or more TaskManagers, each its own JVM, started from
 * the Maven-resolved Flink jars the way Flink's own scripts start them, plus the Flink CLI to submit jobs and,
 * on request, a SQL gateway in front of the cluster and the SQL client in gateway mode. Any of its processes can be
 * killed ({@code kill -9}) and started again.
 */
final class FlinkSessionCluster implements AutoCloseable {

    /** What Flink's distribution passes to every JVM it starts ({@code env.java.default-opts.all}). */
    private static final List<String> MODULE_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String SLOTS = "taskmanager.numberOfTaskSlots";

    private final Path home;
    private final String classpath;
    private final int restPort;
    private final Map<String, Process> processes = new java.util.LinkedHashMap<>();
    private List<String> taskManagerResources;
    private int taskManagerStarts;
    private final HttpClient http = HttpClient.newHttpClient();
    private int gatewayPort;

    private FlinkSessionCluster(Path home, String classpath, int restPort) {
        this.home = home;
        this.classpath = classpath;
        this.restPort = restPort;
    }

    static FlinkSessionCluster start(Path home) throws Exception {
        return start(home, Map.of(), Map.of());
    }

    /**
     * A cluster with more configuration ({@code config.yaml} keys) and plugins: each jar goes into its own folder of
     * {@code plugins/}, as in Flink's distribution ({@code plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.2.0.jar}).
     */
    static FlinkSessionCluster start(Path home, Map<String, String> settings, Map<String, Path> plugins)
            throws Exception {
        return start(home, settings, plugins, 1);
    }

    /** A cluster of {@code taskManagers} TaskManagers (numbered from 0). */
    static FlinkSessionCluster start(Path home, Map<String, String> settings, Map<String, Path> plugins,
            int taskManagers) throws Exception {
        String classpath = Files.readString(Path.of(System.getProperty("flink.classpath.file"))).strip();
        FlinkSessionCluster cluster = new FlinkSessionCluster(home, classpath, freePort());
        cluster.writeConfiguration(freePort(), settings);
        for (Map.Entry<String, Path> plugin : plugins.entrySet()) {
            // the processes run in the cluster's home, where Flink looks for plugins/ by default
            Path folder = Files.createDirectories(home.resolve("plugins").resolve(plugin.getKey()));
            Files.copy(plugin.getValue(), folder.resolve(plugin.getValue().getFileName()));
        }
        cluster.startJobManager();
        for (int index = 0; index < taskManagers; index++) {
            cluster.startTaskManager(index);
        }
        cluster.awaitTaskManagers(taskManagers, Duration.ofSeconds(90));
        return cluster;
    }

    void startJobManager() throws IOException {
        launch("jobmanager", List.of("-Xmx512m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of("--configDir", "conf"),
                null);
    }

    void startTaskManager(int index) throws Exception {
        if (taskManagerResources == null) {
            // the TaskManager's JVM flags and -D options are computed by Flink, as its start script does
            taskManagerResources = taskManagerResources();
        }
        // a resource id per start, so the REST API tells which TaskManager runs a task (taskManagerIndex)
        String resourceId = "taskmanager.resource-id=tm" + index + "-start" + ++taskManagerStarts;
        launch(taskManagerName(index), List.of(taskManagerResources.get(0).split(" ")),
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                concat(List.of("--configDir", "conf", "-D", resourceId),
                        List.of(taskManagerResources.get(1).split(" "))), null);
    }

    /** The index of the TaskManager with a {@code taskmanager-id} the REST API shows. */
    static int taskManagerIndex(String resourceId) {
        Matcher id = Pattern.compile("tm(\\d+)-start\\d+").matcher(resourceId);
        if (!id.matches()) {
            throw new IllegalArgumentException("not a TaskManager of this cluster: " + resourceId);
        }
        return Integer.parseInt(id.group(1));
    }

    /** {@code kill -9} of a TaskManager: no shutdown hook runs, nothing is flushed, its slots vanish. */
    void killTaskManager(int index) throws InterruptedException {
        kill(taskManagerName(index));
    }

    /** {@code kill -9} of the JobManager: without high availability, every job of the cluster is lost with it. */
    void killJobManager() throws InterruptedException {
        kill("jobmanager");
    }

    private void kill(String name) throws InterruptedException {
        Process process = processes.remove(name);
        process.destroyForcibly(); // SIGKILL
        process.waitFor();
    }

    private static String taskManagerName(int index) {
        return index == 0 ? "taskmanager" : "taskmanager-" + index;
    }

    private void writeConfiguration(int rpcPort, Map<String, String> settings) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("log"));
        Files.createDirectories(home.resolve("tmp"));
        Map<String, String> more = new java.util.LinkedHashMap<>(settings);
        String slots = more.getOrDefault(SLOTS, "2");
        more.remove(SLOTS); // the key may not appear both nested and flat
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager: {rpc: {address: 127.0.0.1, port: " + rpcPort + "}, bind-host: 127.0.0.1, "
                        + "memory: {process: {size: 1024m}}}",
                "taskmanager: {bind-host: 127.0.0.1, host: 127.0.0.1, numberOfTaskSlots: " + slots + ", "
                        + "memory: {process: {size: 2048m}}}",
                "rest: {address: 127.0.0.1, bind-address: 127.0.0.1, port: " + restPort + "}",
                "parallelism: {default: 1}",
                "io: {tmp: {dirs: " + home.resolve("tmp") + "}}",
                more.entrySet().stream().map(setting -> setting.getKey() + ": " + setting.getValue())
                        .collect(Collectors.joining("\n")),
                ""));
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = File",
                "appender.file.name = File",
                "appender.file.type = File",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                ""));
    }

    private List<String> taskManagerResources() throws Exception {
        Process process = new ProcessBuilder("java", "-cp", classpath,
                "org.apache.flink.runtime.util.bash.BashJavaUtils", "GET_TM_RESOURCE_PARAMS", "--configDir", "conf")
                .directory(home.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        List<String> results = output.lines()
                .filter(line -> line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(line -> line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).strip())
                .toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils gave no TaskManager parameters:\n" + output);
        }
        return results;
    }

    /**
     * Starts a SQL gateway (REST endpoint) that runs statements on this cluster, as {@code sql-gateway.sh start}
     * does.
     */
    void startSqlGateway() throws Exception {
        gatewayPort = freePort();
        Path conf = Files.createDirectories(home.resolve("gateway-conf"));
        Files.copy(home.resolve("conf/log4j.properties"), conf.resolve("log4j.properties"));
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "execution: {target: remote}",
                "rest: {address: 127.0.0.1, port: " + restPort + "}",
                "sql-gateway: {endpoint: {rest: {address: 127.0.0.1, bind-address: 127.0.0.1, port: " + gatewayPort
                        + "}}}",
                ""));
        launch("sql-gateway", List.of("-Xmx512m"), "org.apache.flink.table.gateway.SqlGateway", List.of(), conf);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/info"))
                        .build(), HttpResponse.BodyHandlers.ofString()).body().contains("version")) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the REST endpoint comes up a few seconds after the JVM
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the SQL gateway did not come up; logs:\n" + logs());
    }

    /** Runs a SQL script with Flink's SQL client in gateway mode ({@code sql-client.sh gateway -e … -f …}). */
    String runSqlScript(Path sqlClientJar, Path script) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(MODULE_OPTIONS);
        command.addAll(List.of("-cp", classpath + java.io.File.pathSeparator + sqlClientJar,
                "org.apache.flink.table.client.SqlClient", "gateway", "-e", "127.0.0.1:" + gatewayPort,
                "-f", script.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", home.resolve("conf").toString());
        Process client = builder.start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (client.waitFor() != 0) {
            throw new IllegalStateException("sql-client failed:\n" + output + "\nlogs:\n" + logs());
        }
        return output;
    }

    private void launch(String name, List<String> jvmOptions, String mainClass, List<String> arguments,
            Path configDirectory) throws IOException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(MODULE_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-Dlog.file=" + home.resolve("log/" + name + ".log"));
        command.add("-Dlog4j.configurationFile=" + home.resolve("conf/log4j.properties"));
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        if (configDirectory != null) {
            builder.environment().put("FLINK_CONF_DIR", configDirectory.toString());
        }
        // a restarted process appends to its predecessor's log (log4j's File appender appends by default)
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/" + name + ".out").toFile()));
        processes.put(name, builder.start());
    }

    /** Waits until {@code count} TaskManagers are registered with the JobManager. */
    void awaitTaskManagers(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get("/overview").contains("\"taskmanagers\":" + count + ",")) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the REST endpoint comes up a few seconds after the JVM
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the Flink cluster did not come up within " + timeout + "; logs:\n" + logs());
    }

    /** Submits a jar detached with the Flink CLI ({@code flink run -d}) and returns the CLI's output. */
    String submit(Path jar, String... arguments) throws Exception {
        return flinkRun(List.of("-d", jar.toString()), arguments);
    }

    /** Submits a job of the jar other than its main class ({@code flink run -d -c mainClass}). */
    String submitMainClass(Path jar, String mainClass, String... arguments) throws Exception {
        return flinkRun(List.of("-d", "-c", mainClass, jar.toString()), arguments);
    }

    /** {@code flink run} with CLI options ({@code -d}, {@code -p 2}, {@code -s savepoint}, {@code -c class}, the jar). */
    String flinkRun(List<String> options, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(MODULE_OPTIONS);
        command.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend", "run"));
        command.addAll(options);
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", home.resolve("conf").toString());
        Process cli = builder.start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (cli.waitFor() != 0) {
            throw new IllegalStateException("flink run failed:\n" + output + "\nlogs:\n" + logs());
        }
        return output;
    }

    String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The TaskManager's whole log file. */
    String taskManagerLog() throws IOException {
        return Files.readString(home.resolve("log/taskmanager.log"));
    }

    /** Copies every process's log into {@code directory}, to read after the test's temporary files are gone. */
    void copyLogsTo(Path directory) throws IOException {
        Files.createDirectories(directory);
        try (var files = Files.list(home.resolve("log"))) {
            for (Path file : files.filter(file -> file.getFileName().toString().matches("(jobmanager|taskmanager).*"))
                    .toList()) {
                Files.copy(file, directory.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        try (var files = Files.list(home.resolve("log"))) {
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                logs.append("== ").append(file.getFileName()).append('\n')
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 120), lines.size())))
                        .append('\n');
            }
        }
        return logs.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes.values()) {
            process.destroy();
        }
        for (Process process : processes.values()) {
            process.waitFor();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
