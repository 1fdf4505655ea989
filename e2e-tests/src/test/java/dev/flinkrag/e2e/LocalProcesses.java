package dev.flinkrag.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JVMs a test starts, each logging to a file, stopped together when the test ends. */
final class LocalProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();

    Process start(Path log, String... command) throws IOException {
        return start(new ProcessBuilder(command), log);
    }

    Process start(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroy();
            process.waitFor();
        }
    }
}
