package dev.relay.core.node;

import dev.relay.core.testing.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One relay as a process of its own ({@code dev.relay.core.Main} on the test classpath), as
 * {@code MainProcessTest} starts it, with the ports it listens on and signals sent by PID. The
 * process is started so that it may handle SIGINT and SIGHUP even when the build runs in the
 * background, where a shell starts commands with SIGINT ignored, or under nohup (SIGHUP ignored):
 * ignored signals stay ignored.
 */
final class RelayProcessFixture implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Process process;
    final int telephonyPort;
    final int controlPort;
    final Path log;

    private RelayProcessFixture(Process process, int telephonyPort, int controlPort, Path log) {
        this.process = process;
        this.telephonyPort = telephonyPort;
        this.controlPort = controlPort;
        this.log = log;
    }

    /** Starts a relay with {@code extraConfig} (HOCON) in {@code dir}; {@code args} go before the main class. */
    static RelayProcessFixture start(Path dir, String extraConfig, String... jvmArgs) throws IOException {
        return start(dir, List.of(), extraConfig, jvmArgs);
    }

    /**
     * As {@link #start(Path, String, String...)}, with the JVM run under {@code wrapper} (a command
     * such as strace that execs the rest of the line).
     */
    static RelayProcessFixture start(Path dir, List<String> wrapper, String extraConfig, String... jvmArgs)
            throws IOException {
        int telephony = freePort();
        int control = freePort();
        Path conf = dir.resolve("test.conf");
        Files.writeString(conf, "relay.telephony { host = \"127.0.0.1\", port = " + telephony
                + ", tls.enabled = false }\n"
                + "relay.control.port = " + control + "\n"
                + "relay.sinks.recorder.dir = \"" + dir.resolve("recordings") + "\"\n" + extraConfig + "\n");
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/env"))) {
            cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT,HUP"));
        }
        cmd.addAll(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Drelay.log.level=INFO"));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.relay.core.Main", "--config",
                conf.toString()));
        Path log = dir.resolve("out.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new RelayProcessFixture(p, telephony, control, log);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String wsUrl() {
        return "ws://127.0.0.1:" + telephonyPort + "/media";
    }

    /** GET on the control API; status -1 when nothing answers. */
    HttpResponse<String> get(String path) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    int readyzStatus() throws InterruptedException {
        HttpResponse<String> r = get("/readyz");
        return r == null ? -1 : r.statusCode();
    }

    /** Waits up to 30 s for /readyz 200; fails with the log when the relay died first. */
    void awaitReady() throws Exception {
        await("relay ready", () -> {
            try {
                return readyzStatus() == 200;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Waits up to 30 s for the process to exit and returns its status. */
    int awaitExit() throws Exception {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("relay still running after 30 s; log:\n" + log());
        }
        return process.exitValue();
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    /** Waits up to 30 s for {@code condition}; fails at once, with the log, when the relay dies first. */
    void await(String what, BooleanSupplier condition) throws Exception {
        Await.value(what, Duration.ofSeconds(30), () -> {
            if (condition.getAsBoolean()) {
                return Boolean.TRUE;
            }
            if (!process.isAlive()) {
                throw new AssertionError(what + ": relay exited " + process.exitValue() + "; log:\n" + logOrError());
            }
            return null;
        }, () -> "log:\n" + logOrError());
    }

    private String logOrError() {
        try {
            return log();
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        // A wrapper's child (the JVM under strace) must not outlive the test.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
