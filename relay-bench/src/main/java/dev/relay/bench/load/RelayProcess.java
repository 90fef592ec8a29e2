package dev.relay.bench.load;

import java.io.IOException;
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

/**
 * The relay as a separate JVM ({@code java -jar relay.jar --config <run>/relay.conf}), or the floor
 * ({@code dev.relay.bench.floor.FloorMain} on the same config), so its CPU
 * time and RSS can be read from {@code /proc/<pid>} apart from the generator's. Its heap and
 * direct memory come from its {@code /metrics}; GC pauses from a unified JVM log of the
 * {@code gc} and {@code safepoint} tags ({@code relay-jvm.log}), which records every
 * stop-the-world pause whatever the collector. Console output goes to {@code relay.log}.
 */
final class RelayProcess implements RelayUnderTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final URI mediaUrl;
    private final URI metricsUrl;
    private final URI controlUrl;
    private final String javaBin;
    private final Path jvmLog;
    private final String description;
    /** Stops the relay when the generator is interrupted (Ctrl-C), so no relay outlives its run. */
    private final Thread reaper;

    private RelayProcess(Process process, URI mediaUrl, URI metricsUrl, String javaBin, Path jvmLog,
            String description) {
        this.process = process;
        this.mediaUrl = mediaUrl;
        this.metricsUrl = metricsUrl;
        this.controlUrl = metricsUrl.resolve("/");
        this.javaBin = javaBin;
        this.jvmLog = jvmLog;
        this.description = description;
        this.reaper = new Thread(() -> {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
        }, "loadtest-relay-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    /**
     * The relay's JVM options for JDK {@code major}, as scripts/relay runs it: scripts/jvm-flags
     * decides them from config/jvm.properties (the production set, leak detector off, and the
     * relay's own: its collector), then appends {@code user} ({@code --relay-jvm}), which overrides
     * them; a collector in {@code user} replaces the project's.
     */
    static List<String> jvmFlags(Path repoRoot, int major, List<String> user) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", repoRoot.resolve("scripts/jvm-flags").toString(),
                Integer.toString(major), "run", "relay", "--"));
        cmd.addAll(user);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0 || out.isBlank()) {
            throw new IOException("scripts/jvm-flags failed: " + out.strip());
        }
        return List.of(out.strip().split("\n"));
    }

    /**
     * Starts the relay (or, with {@code floor}, the floor: {@code FloorMain} from this process's
     * class path, on the same config) with {@code config}, under {@code taskset} when
     * {@code pinning} is given, and waits (up to 60 s) until {@code /readyz} answers 200.
     */
    static RelayProcess start(LoadOptions o, Path repoRoot, Path runDir, RelayConfigText config, List<String> extraJvm,
            boolean floor, Pinning pinning) throws IOException, InterruptedException {
        Path jar = o.relayJar != null ? o.relayJar : repoRoot.resolve("relay-core/target/relay.jar");
        if (!floor && !Files.isRegularFile(jar)) {
            throw new IOException("relay jar " + jar + " is missing: build it with `mvn -q -DskipTests package`"
                    + " (scripts/loadtest does so when it is missing)");
        }
        String java = o.relayJava != null ? o.relayJava
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int major = javaMajor(java);
        Path conf = runDir.resolve("relay.conf");
        Files.writeString(conf, config.text());
        Path jvmLog = runDir.resolve("relay-jvm.log");
        List<String> cmd = new ArrayList<>();
        if (pinning != null) {
            cmd.addAll(pinning.relayPrefix());
        }
        cmd.add(java);
        cmd.addAll(extraJvm);
        cmd.addAll(jvmFlags(repoRoot, major, o.relayJvm));
        cmd.add("-Xlog:gc,safepoint:file=" + jvmLog + ":uptimenanos,tags");
        if (o.jfr) {
            cmd.add("-XX:StartFlightRecording=filename=" + runDir.resolve("relay.jfr")
                    + ",settings=profile,dumponexit=true");
        }
        if (floor) {
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.relay.bench.floor.FloorMain"));
        } else {
            cmd.addAll(List.of("-jar", jar.toString()));
        }
        cmd.addAll(List.of("--config", conf.toString()));
        Files.writeString(runDir.resolve("relay.cmd"), String.join(" ", cmd) + "\n");
        Process p = new ProcessBuilder(cmd)
                .directory(runDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runDir.resolve("relay.log").toFile())
                .start();
        URI control = URI.create("http://127.0.0.1:" + config.controlPort());
        RelayProcess relay = new RelayProcess(p, config.mediaUrl(), control.resolve("/metrics"), java, jvmLog,
                (floor ? "floor, " : "") + "separate JVM pid " + p.pid() + " (java " + major
                        + (o.relayJvm.isEmpty() ? "" : " " + String.join(" ", o.relayJvm))
                        + (pinning == null ? "" : ", CPU " + pinning.relayCpus()) + ")");
        relay.awaitReady(control.resolve("/readyz"), runDir.resolve("relay.log"));
        return relay;
    }

    private void awaitReady(URI readyz, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("relay exited with " + process.exitValue() + " during start-up:\n" + tail(log));
            }
            try {
                HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        throw new IOException("relay not ready within 60 s:\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The feature version of {@code java}: this JVM's when it is the same binary, else asked. */
    static int javaMajor(String java) throws IOException, InterruptedException {
        if (Path.of(java).toAbsolutePath().normalize().equals(
                Path.of(System.getProperty("java.home"), "bin", "java").toAbsolutePath().normalize())) {
            return Runtime.version().feature();
        }
        Process p = new ProcessBuilder(java, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        for (String line : out.split("\n")) {
            String t = line.trim();
            if (t.startsWith("java.specification.version")) {
                String v = t.substring(t.indexOf('=') + 1).trim();
                return Integer.parseInt(v.startsWith("1.") ? v.substring(2) : v);
            }
        }
        throw new IOException("cannot tell the version of " + java + ":\n" + out);
    }

    @Override
    public URI mediaUrl() {
        return mediaUrl;
    }

    @Override
    public URI controlUrl() {
        return controlUrl;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public String scrape() {
        return MetricsText.fetch(metricsUrl);
    }

    @Override
    public String pid() {
        return Long.toString(process.pid());
    }

    @Override
    public boolean procIsRelayOnly() {
        return true;
    }

    @Override
    public boolean forceGc() {
        Path jcmd = Path.of(javaBin).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public Path jvmLog() {
        return jvmLog;
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    /** The exit status after {@link #close()}, or -1 while running. */
    int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * SIGTERM (with {@link RelayConfigText}'s drain settings the relay stops at once and exits 0),
     * then a kill after 20 s.
     */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the reaper runs anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
