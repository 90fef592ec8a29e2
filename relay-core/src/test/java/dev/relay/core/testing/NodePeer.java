package dev.relay.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the Node scripts in {@code test-peers/} (real npm peers, pinned by its
 * package-lock.json) and collects the JSON lines it prints.
 */
public final class NodePeer {
    private static final ObjectMapper JSON = Json.MAPPER;

    private NodePeer() {}

    /** The {@code test-peers} directory, found from the module's working directory. */
    public static Path dir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("test-peers");
            if (Files.isDirectory(candidate.resolve("node_modules"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("test-peers/node_modules not found: run scripts/test (it runs npm ci)");
    }

    /** Runs {@code node script args…} to completion (bounded) and returns its output lines as JSON. */
    public static List<JsonNode> run(long timeoutMs, String script, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", dir().resolve(script).toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir().toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + script + " did not finish within " + timeoutMs + " ms");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            } else if (!line.isBlank()) {
                throw new AssertionError("node " + script + " printed: " + out);
            }
        }
        return lines;
    }

    /**
     * {@link #run} on a thread of its own, for a peer that runs while the test drives the relay.
     * Not on CompletableFuture's default pool: with two cores its common pool has one thread on
     * JDK 25 (JDK 17 started a thread per task), so a second peer waited for the first to exit.
     */
    public static CompletableFuture<List<JsonNode>> start(long timeoutMs, String script, List<String> args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run(timeoutMs, script, args.toArray(String[]::new));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "node-peer " + script);
            t.setDaemon(true);
            t.start();
        });
    }

    /** The first line of {@code type}, or an assertion error listing everything seen. */
    public static JsonNode first(List<JsonNode> lines, String type) {
        return lines.stream().filter(l -> type.equals(l.path("type").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + type + "' line in " + lines));
    }
}
