package dev.relay.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.testing.ControlHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One relay of the pool as a process of its own ({@code dev.relay.core.Main} on this JVM's class
 * path, with the test forks' JVM flags and Netty's leak detector on), bound to its own
 * loopback address. Started, signalled and killed by its PID; its console output is kept in
 * {@code relay.log} of its directory, which the suite reads for events and leaks.
 */
final class RelayNode implements AutoCloseable {
    final String id;
    final String address;
    final int controlPort;
    final int agentPort;
    final Path dir;
    private final String config;
    private Process process;

    private RelayNode(String id, String address, int controlPort, int agentPort, Path dir, String config) {
        this.id = id;
        this.address = address;
        this.controlPort = controlPort;
        this.agentPort = agentPort;
        this.dir = dir;
        this.config = config;
    }

    /** Writes the node's configuration (HOCON) and starts it; {@link #awaitReady} waits for it. */
    static RelayNode start(String id, String address, int controlPort, int agentPort, Path dir, String config)
            throws IOException {
        RelayNode node = new RelayNode(id, address, controlPort, agentPort, dir, config);
        node.launch();
        return node;
    }

    /** Starts the node again (a rolling restart), with the same configuration and directory. */
    void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(id + " is still running");
        }
        launch();
    }

    private void launch() throws IOException {
        Files.createDirectories(dir);
        Path conf = dir.resolve("relay.conf");
        Files.writeString(conf, config);
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/env"))) {
            // Signals a background build ignores (SIGINT) must reach the relay: reset them.
            cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("jvm.argfile"), "-Xmx512m", "-XX:+UseSerialGC",
                "-Xlog:gc:file=" + dir.resolve("gc.log") + ":uptime",
                // C1 only: three relays warming up on two shared cores spend less on compiling.
                "-XX:TieredStopAtLevel=1",
                // Sampled leak detection: paranoid's stack trace per buffer touch, in three relays on
                // two shared cores, starved them into missing heartbeats and health checks.
                "-Dio.netty.leakDetection.level=advanced", "-Drelay.log.level=INFO",
                "-cp", System.getProperty("java.class.path"), "dev.relay.core.Main", "--config", conf.toString()));
        process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("relay.log").toFile())).start();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    ControlHttp http(String token) {
        return new ControlHttp("http://" + address + ":" + controlPort, token);
    }

    /** Waits up to 60 s for {@code /readyz} 200; fails with the log if the process died first. */
    void awaitReady(ControlHttp http) throws Exception {
        Waits.until(id + " ready", 60_000, () -> {
            if (!process.isAlive()) {
                throw new AssertionError(id + " exited " + process.exitValue() + ":\n" + log());
            }
            try {
                return http.get("/readyz").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        }, this::log);
    }

    /** Sends {@code signal} (TERM, KILL, INT) to the process by its PID. */
    void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** Waits up to {@code timeoutMs} for the process to end; returns its exit status. */
    int awaitExit(long timeoutMs) throws Exception {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            throw new AssertionError(id + " still running after " + timeoutMs + " ms:\n" + tail());
        }
        return process.exitValue();
    }

    /** What the node's HAProxy agent check answers now ({@code ready 73%}, {@code drain}). */
    String agentReply() throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, agentPort), 10_000);
            s.setSoTimeout(10_000);
            // One line, as HAProxy reads it; the relay leaves closing to the checker.
            StringBuilder line = new StringBuilder();
            for (int c = s.getInputStream().read(); c != -1 && c != '\n'; c = s.getInputStream().read()) {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }

    /** {@code GET /v1/admin/status} of this node. */
    JsonNode status(ControlHttp http) throws Exception {
        HttpResponse<String> r = http.get("/v1/admin/status");
        return ControlHttp.json(r);
    }

    String log() {
        try {
            return Files.readString(dir.resolve("relay.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    String tail() {
        String log = log();
        return log.length() > 6000 ? "…" + log.substring(log.length() - 6000) : log;
    }

    /** Kills the process (SIGKILL, by PID) if it is still running. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
