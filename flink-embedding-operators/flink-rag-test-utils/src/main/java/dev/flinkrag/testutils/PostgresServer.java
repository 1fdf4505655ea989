package dev.flinkrag.testutils;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL 15 with pgvector for tests and benchmarks, started as a local process on first use
 * (its own data directory and free port) and stopped when the JVM exits. Each caller gets a fresh database.
 * Install the binaries once with {@code scripts/install-postgres-pgvector.sh}. As root the server runs as
 * user {@code postgres} (PostgreSQL refuses to run as root).
 */
public final class PostgresServer {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final Path VECTOR_EXTENSION = Path.of("/usr/share/postgresql/15/extension/vector.control");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static PostgresServer instance;

    private final Path directory;
    private final int port;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** The JVM's server, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /** A new empty database with the vector extension; returns its JDBC URL. */
    public String createDatabase() {
        return createDatabase("UTF8");
    }

    /**
     * A new empty database in this encoding ({@code SQL_ASCII} stores any bytes: the way to meet text that is
     * not UTF-8) with the vector extension; returns its JDBC URL.
     */
    public String createDatabase(String encoding) {
        String name = "test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection admin = DriverManager.getConnection(url("postgres"), "postgres", "");
                Statement statement = admin.createStatement()) {
            statement.execute("UTF8".equals(encoding) ? "CREATE DATABASE " + name : "CREATE DATABASE " + name
                    + " TEMPLATE template0 ENCODING '" + encoding + "' LC_COLLATE 'C' LC_CTYPE 'C'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        String url = url(name);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION vector");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the vector extension in " + name, e);
        }
        return url;
    }

    public String user() {
        return "postgres";
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        if (!Files.isExecutable(BIN.resolve("initdb")) || !Files.exists(VECTOR_EXTENSION)) {
            throw new IllegalStateException("PostgreSQL 15 with pgvector is not installed (looked for " + BIN
                    + "/initdb and " + VECTOR_EXTENSION + "); run scripts/install-postgres-pgvector.sh as root");
        }
        try {
            Path directory = Files.createTempDirectory("flink-rag-postgres");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (ROOT) {
                run(List.of("chown", "postgres:postgres", directory.toString()), false);
            }
            int port = freePort();
            Path data = directory.resolve("data");
            run(List.of(BIN.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8"), true);
            // durability settings off: tests restart Flink, never the database, and run faster without fsync
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                    directory.resolve("server.log").toString(), "-w", "-o",
                    "-p " + port + " -k " + directory + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
                            // logical replication for the PostgreSQL document source
                            + " -c wal_level=logical -c max_replication_slots=40 -c max_wal_senders=40",
                    "start"), true);
            PostgresServer server = new PostgresServer(directory, port);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start PostgreSQL", e);
        }
    }

    private void stop() {
        try {
            run(List.of(BIN.resolve("pg_ctl").toString(), "-D", directory.resolve("data").toString(), "-m",
                    "immediate", "stop"), true);
            run(List.of("rm", "-rf", directory.toString()), false);
        } catch (IOException | RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL in " + directory + ": " + e);
        }
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException {
        List<String> full = new ArrayList<>();
        if (asPostgres && ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", full) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", full), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
