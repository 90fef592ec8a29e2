package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** {@code test-peers/aiola-server.js}: the real npm socket.io 4.8 server playing aiOla. */
final class AiolaServer implements AutoCloseable {
    /** A JWT-shaped token that expires in 2100. */
    static final String TOKEN = jwt(4_102_444_800L);

    private final NodeProcess node;
    final int port;

    private AiolaServer(NodeProcess node, int port) {
        this.node = node;
        this.port = port;
    }

    static AiolaServer start(String... args) throws Exception {
        NodeProcess node = NodeProcess.start("aiola-server.js", args);
        try {
            JsonNode listening = node.await("listening", 10_000);
            return new AiolaServer(node, listening.path("port").asInt());
        } catch (AssertionError | InterruptedException e) {
            node.close();
            throw e;
        }
    }

    /** With {@code --token TOKEN} and, when {@code port} > 0, on that port. */
    static AiolaServer withToken(int port, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--token", TOKEN, "--port", String.valueOf(port)));
        args.addAll(List.of(more));
        return start(args.toArray(String[]::new));
    }

    static String jwt(long expSeconds) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes())
                + "." + b64.encodeToString(("{\"sub\":\"relay\",\"exp\":" + expSeconds + "}").getBytes())
                + ".c2lnbmF0dXJl";
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    void command(String cmd, Object... keyValues) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cmd", cmd);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        node.send(c);
    }

    JsonNode await(String type, long timeoutMs) throws InterruptedException {
        return node.await(type, timeoutMs);
    }

    JsonNode await(String type, Predicate<JsonNode> match, long timeoutMs) throws InterruptedException {
        return node.await(type, match, timeoutMs);
    }

    List<JsonNode> all(String type) {
        return node.all(type);
    }

    /** Every binary_data byte the server got for {@code exec}, in order, across connections. */
    byte[] audio(String exec, Path dir) throws Exception {
        Path file = dir.resolve("aiola-" + exec + "-" + System.nanoTime() + ".raw");
        command("save", "exec", exec, "file", file.toString());
        await("saved", l -> l.path("exec").asText().equals(exec) && Files.exists(file), 5_000);
        return Files.readAllBytes(file);
    }

    JsonNode stats() throws InterruptedException {
        int before = all("stats").size();
        command("stats");
        Await.until("the server's stats", () -> all("stats").size() > before);
        List<JsonNode> s = all("stats");
        return s.get(s.size() - 1);
    }

    @Override
    public void close() {
        node.close();
    }
}
