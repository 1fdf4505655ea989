package dev.flinkrag.testutils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka 4.2 broker (KRaft, broker and controller in one process) for tests, started as a local process
 * on first use from the test classpath's Kafka jars, on free loopback ports, and stopped when the JVM exits.
 */
public final class KafkaBroker {

    private static KafkaBroker instance;

    private final Process process;
    private final Path directory;
    private final int port;

    private KafkaBroker(Process process, Path directory, int port) {
        this.process = process;
        this.directory = directory;
        this.port = port;
    }

    /** The JVM's broker, started on first use. */
    public static synchronized KafkaBroker get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Creates a topic with {@code partitions} partitions. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    private static KafkaBroker start() {
        try {
            Path directory = Files.createTempDirectory("flink-rag-kafka");
            int port = freePort();
            int controllerPort = freePort();
            Path properties = Files.writeString(directory.resolve("server.properties"), String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    "log.dirs=" + directory.resolve("data"),
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
            Path log4j = Files.writeString(directory.resolve("log4j2.properties"), String.join("\n",
                    "rootLogger.level = WARN",
                    "rootLogger.appenderRef.file.ref = File",
                    "appender.file.name = File",
                    "appender.file.type = File",
                    "appender.file.fileName = " + directory.resolve("broker.log"),
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                    ""));
            // a static quorum (controller.quorum.voters) is formatted without --standalone
            run(directory, "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", properties.toString());
            Process process = java(directory, "kafka.Kafka", properties.toString())
                    .redirectOutput(directory.resolve("broker.out").toFile()).start();
            KafkaBroker broker = new KafkaBroker(process, directory, port);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::stop));
            broker.awaitReady();
            return broker;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Kafka broker", e);
        }
    }

    /**
     * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding, never starting with '-' (the storage
     * tool would read it as an option; one id in 64 did and the broker failed to start, as Kafka's own ids avoid).
     */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
            bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    break;
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // the broker answers a few seconds after its JVM starts
                }
            }
        }
        throw new IllegalStateException("the Kafka broker did not come up; its output:\n"
                + Files.readString(directory.resolve("broker.out")));
    }

    private void stop() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            System.err.println("could not clean up the test Kafka broker in " + directory + ": " + e);
        }
    }

    private static ProcessBuilder java(Path directory, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx768m", "-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
    }

    private static void run(Path directory, String mainClass, String... arguments) throws IOException {
        Process process = java(directory, mainClass, arguments).start();
        String output = new String(process.getInputStream().readAllBytes());
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(mainClass + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + mainClass, e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
