package dev.relay.bench.fleet;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's package; {@code .ci/run} installs it) running {@code config/haproxy.cfg}
 * as shipped, its addresses and intervals given through the environment as on a real host. Run in
 * the foreground, stopped by its PID. Its stats page (CSV) tells the suite what HAProxy thinks of
 * each relay, so tests wait for HAProxy's view instead of sleeping.
 */
final class Haproxy implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One server line of the stats page. */
    record Server(String backend, String name, String status, int weight, int sessions) {}

    private final Process process;
    private final Path log;
    private final URI stats;

    private Haproxy(Process process, Path log, URI stats) {
        this.process = process;
        this.log = log;
        this.stats = stats;
    }

    /** Starts HAProxy with the shipped configuration and {@code env}; waits for its stats page. */
    static Haproxy start(Path config, Path dir, Map<String, String> env, String statsBind) throws Exception {
        Path log = dir.resolve("haproxy.log");
        ProcessBuilder pb = new ProcessBuilder(binary(), "-db", "-f", config.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Haproxy h = new Haproxy(pb.start(), log, URI.create("http://" + statsBind + "/stats;csv"));
        Waits.until("haproxy stats page", 30_000, () -> {
            if (!h.process.isAlive()) {
                throw new AssertionError("haproxy exited " + h.process.exitValue() + ": " + h.log());
            }
            try {
                return !h.servers().isEmpty();
            } catch (IOException e) {
                return false;
            }
        }, h::log);
        return h;
    }

    /** The servers of every backend as HAProxy sees them now. */
    List<Server> servers() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(stats).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",");
        Map<String, Integer> col = new HashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        List<Server> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length < header.length || f[1].equals("FRONTEND") || f[1].equals("BACKEND")) {
                continue;
            }
            out.add(new Server(f[col.get("pxname")], f[col.get("svname")], f[col.get("status")],
                    parse(f[col.get("weight")]), parse(f[col.get("scur")])));
        }
        return out;
    }

    /** The server {@code name} of the backend that takes calls ({@code relays}). */
    Server primary(String name) throws IOException, InterruptedException {
        for (Server s : servers()) {
            if (s.backend().equals("relays") && s.name().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no server relays/" + name + " in " + servers());
    }

    private static int parse(String s) {
        return s.isEmpty() ? 0 : Integer.parseInt(s);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The haproxy binary: Debian installs it in /usr/sbin, often not on a user's PATH. */
    static String binary() {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            if (Files.isExecutable(Path.of(dir, "haproxy"))) {
                return Path.of(dir, "haproxy").toString();
            }
        }
        return "haproxy";
    }

    /** Stops HAProxy (SIGKILL by PID: nothing of it needs to outlive the test). */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
