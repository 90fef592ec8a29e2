package dev.relay.bench.sizing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the simulation's own, as the cluster tests start one: loopback, a free
 * port, no persistence (neither RDB snapshots nor the append-only file), stopped by its PID.
 * A shutdown hook stops it too, so that a simulation ended by Ctrl-C or SIGTERM leaves no
 * {@code redis-server} behind (SIGKILL still does: nothing runs in the JVM then).
 * Not thread-safe; start and close from one thread.
 */
final class LocalRedis implements AutoCloseable {
    private final Process process;
    private final Thread stopAtExit;
    final int port;

    private LocalRedis(Process process, int port) {
        this.process = process;
        this.port = port;
        this.stopAtExit = new Thread(this::stop, "local-redis-stop");
        Runtime.getRuntime().addShutdownHook(stopAtExit);
    }

    static LocalRedis start() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(binary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return new LocalRedis(p, port);
    }

    String url() {
        return "redis://127.0.0.1:" + port + "/0";
    }

    long pid() {
        return process.pid();
    }

    private static String binary() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server").toString();
            }
        }
        return "redis-server";
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopAtExit);
        } catch (IllegalStateException exiting) {
            // The JVM is already shutting down: the hook stops the server.
        }
        stop();
    }

    /** SIGTERM by PID, then SIGKILL if it has not gone within 10 s. */
    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
