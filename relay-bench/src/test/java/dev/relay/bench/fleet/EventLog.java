package dev.relay.bench.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The events one node's {@code /v1/events?scope=cluster} stream delivered, read as they come. */
final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WsClient ws;
    private final List<JsonNode> seen = new ArrayList<>();

    EventLog(WsClient ws) {
        this.ws = ws;
    }

    /** Every event received so far (reads what arrived since the last call, without waiting). */
    List<JsonNode> all() throws IOException, InterruptedException {
        while (ws.pendingTexts() > 0) {
            seen.add(JSON.readTree(ws.nextText(1000)));
        }
        return List.copyOf(seen);
    }

    /** The events of {@code type} received so far. */
    List<JsonNode> of(String type) throws IOException, InterruptedException {
        return all().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }
}
