package dev.relay.core.sink.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Json;
import dev.relay.core.testing.NodePeer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code test-peers/bot-server.js} (the npm {@code ws} server playing a Media Streams bot), running
 * for one test: commands go to its stdin, the JSON lines it prints are collected.
 */
final class BotPeer implements AutoCloseable {
    private static final ObjectMapper JSON = Json.MAPPER;

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final StringBuilder garbage = new StringBuilder();
    private final int port;

    BotPeer(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", NodePeer.dir().resolve("bot-server.js").toString()));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).directory(NodePeer.dir().toFile()).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        Thread reader = new Thread(this::readLines, "bot-peer-stdout");
        reader.setDaemon(true);
        reader.start();
        port = await("listening", l -> true, 10_000).path("port").asInt();
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                } else if (!line.isBlank()) {
                    synchronized (garbage) {
                        garbage.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    String url() {
        return "ws://127.0.0.1:" + port + "/bot?x=1";
    }

    int port() {
        return port;
    }

    /** Sends one command (see bot-server.js). */
    void command(Map<String, Object> cmd) throws IOException {
        stdin.write(JSON.writeValueAsBytes(cmd));
        stdin.write('\n');
        stdin.flush();
    }

    void sendMedia(byte[] audio, int chunk) throws Exception {
        command(Map.of("cmd", "media", "payload", Base64.getEncoder().encodeToString(audio), "chunk", chunk));
        await("done", l -> l.path("cmd").asText().equals("media"), 10_000);
    }

    void send(String cmd, Object... keyValues) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cmd", cmd);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        command(m);
        await("done", l -> l.path("cmd").asText().equals(cmd), 10_000);
    }

    /** What the newest connection received so far. */
    JsonNode report() throws Exception {
        command(Map.of("cmd", "report"));
        return await("report", l -> true, 10_000);
    }

    /** Polls {@link #report()} until {@code condition} holds. */
    JsonNode reportUntil(Predicate<JsonNode> condition, long timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        JsonNode r = report();
        while (!condition.test(r)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("bot report never matched: " + r);
            }
            Thread.sleep(20);
            r = report();
        }
        return r;
    }

    /** The next line of {@code type} matching {@code filter} (earlier lines are kept in {@link #seen()}). */
    JsonNode await(String type, Predicate<JsonNode> filter, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (seen) {
            for (JsonNode l : seen) {
                if (type.equals(l.path("type").asText()) && filter.test(l) && !l.path("_taken").asBoolean()) {
                    ((ObjectNode) l).put("_taken", true);
                    return l;
                }
            }
        }
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new AssertionError("bot printed no '" + type + "' line within " + timeoutMs + " ms; seen "
                        + seen() + garbageText());
            }
            boolean match = type.equals(l.path("type").asText()) && filter.test(l);
            if (match) {
                ((ObjectNode) l).put("_taken", true);
            }
            synchronized (seen) {
                seen.add(l);
            }
            if (match) {
                return l;
            }
        }
    }

    /** Every line read so far (drains what has arrived). */
    List<JsonNode> seen() {
        synchronized (seen) {
            lines.drainTo(seen);
            return List.copyOf(seen);
        }
    }

    /** Lines of {@code type} read so far. */
    List<JsonNode> seen(String type) {
        return seen().stream().filter(l -> type.equals(l.path("type").asText())).toList();
    }

    private String garbageText() {
        synchronized (garbage) {
            return garbage.length() == 0 ? "" : "; non-JSON output: " + garbage;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stdin.close();
        } catch (IOException e) {
            // Already gone.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
