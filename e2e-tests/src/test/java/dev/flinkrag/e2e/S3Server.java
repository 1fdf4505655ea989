package dev.flinkrag.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * An S3 endpoint on loopback for tests: S3Proxy speaking S3's REST protocol over a local folder, started as its own
 * process. Objects are uploaded with plain S3 requests (PUT bucket, PUT object), so they carry the ETag and
 * Last-Modified a reader of real S3 sees. Signatures are not checked (the test uploads unsigned); the reader still
 * signs its requests with the keys below.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "e2e-access-key";
    static final String SECRET_KEY = "e2e-secret-key";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private S3Server(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static S3Server start(Path directory) throws Exception {
        Path data = Files.createDirectories(directory.resolve("data"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path properties = Files.writeString(directory.resolve("s3proxy.properties"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=none",
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + data,
                ""));
        Process process = new ProcessBuilder("java", "-Xmx256m", "-jar", System.getProperty("s3proxy.jar"),
                "--properties", properties.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("s3proxy.log").toFile()).start();
        S3Server server = new S3Server(process, port);
        server.awaitReady(directory.resolve("s3proxy.log"));
        return server;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    void createBucket(String bucket) throws Exception {
        send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket)).PUT(BodyPublishers.noBody()).build());
    }

    void put(String bucket, String key, String content) throws Exception {
        send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + key))
                .PUT(BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build());
    }

    void delete(String bucket, String key) throws Exception {
        send(HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket + "/" + key)).DELETE().build());
    }

    /** Uploads every file of {@code folder} under {@code prefix}, keyed by its relative path. */
    void upload(Path folder, String bucket, String prefix) throws Exception {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                put(bucket, prefix + folder.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
    }

    private void send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
    }

    private void awaitReady(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(endpoint())).build(),
                        HttpResponse.BodyHandlers.discarding());
                return; // any answer, even "access denied" to an unsigned request, means it is up
            } catch (IOException notYet) {
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("S3Proxy did not come up:\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
