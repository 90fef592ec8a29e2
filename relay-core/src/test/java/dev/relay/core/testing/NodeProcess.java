package dev.relay.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running Node peer from {@code test-peers/} (a server the test talks to while it runs):
 * its stdout JSON lines are collected as they arrive, JSON commands go to its stdin. Everything it
 * printed is kept, so a test can wait for a line that came before it started waiting.
 */
public final class NodeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final String script;
    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new CopyOnWriteArrayList<>();
    private final List<String> other = new CopyOnWriteArrayList<>();

    private NodeProcess(String script, Process process) {
        this.script = script;
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::read, "node-" + script);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code node script args…} in {@code test-peers/}. */
    public static NodeProcess start(String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", NodePeer.dir().resolve(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(NodePeer.dir().toFile()).redirectErrorStream(true).start();
        return new NodeProcess(script, p);
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    try {
                        lines.add(JSON.readTree(line));
                        continue;
                    } catch (IOException e) {
                        // fall through: keep it as text
                    }
                }
                if (!line.isBlank()) {
                    other.add(line);
                }
            }
        } catch (IOException e) {
            other.add("stdout read failed: " + e);
        }
    }

    /** Sends one command object as a JSON line. */
    public synchronized void send(Object command) {
        try {
            stdin.write(JSON.writeValueAsBytes(command));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError("cannot write to node " + script + ": " + e + "; output " + other, e);
        }
    }

    /** Every JSON line printed so far with {@code type}. */
    public List<JsonNode> all(String type) {
        return lines.stream().filter(l -> type.equals(l.path("type").asText())).toList();
    }

    /** The first line of {@code type} matching {@code match}, waiting up to {@code timeoutMs}. */
    public JsonNode await(String type, Predicate<JsonNode> match, long timeoutMs) throws InterruptedException {
        return Await.value("node " + script + ": a matching '" + type + "' line", Duration.ofMillis(timeoutMs),
                () -> lines.stream().filter(l -> type.equals(l.path("type").asText()) && match.test(l))
                        .findFirst().orElse(null),
                () -> lines + (other.isEmpty() ? "" : "; other output " + other));
    }

    public JsonNode await(String type, long timeoutMs) throws InterruptedException {
        return await(type, l -> true, timeoutMs);
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Kills the process (SIGTERM, then SIGKILL) and waits for it. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
