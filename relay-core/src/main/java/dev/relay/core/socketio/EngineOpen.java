package dev.relay.core.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.IOException;

/**
 * The Engine.IO v4 handshake the server sends first: {@code 0{"sid":"…","upgrades":[],
 * "pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}}.
 *
 * @param sid the Engine.IO session id
 * @param pingIntervalMs how often the server pings
 * @param pingTimeoutMs how long after a ping is due the session counts as dead
 * @param maxPayloadBytes the largest packet the server accepts (its {@code maxHttpBufferSize})
 */
public record EngineOpen(String sid, long pingIntervalMs, long pingTimeoutMs, long maxPayloadBytes) {
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Larger heartbeat settings are taken as nonsense rather than waited out. */
    static final long MAX_HEARTBEAT_MS = 10 * 60_000L;
    /** What engine.io servers use when maxPayload is absent (older servers). */
    static final long DEFAULT_MAX_PAYLOAD = 1_000_000L;

    /** Parses the JSON after the {@code 0}. */
    public static EngineOpen parse(String json) throws SocketIoProtocolException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new SocketIoProtocolException("Engine.IO open packet is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new SocketIoProtocolException("Engine.IO open packet is not a JSON object");
        }
        JsonNode sid = root.get("sid");
        if (sid == null || !sid.isTextual() || sid.asText().isEmpty()) {
            throw new SocketIoProtocolException("Engine.IO open packet without sid");
        }
        long interval = heartbeat(root, "pingInterval");
        long timeout = heartbeat(root, "pingTimeout");
        JsonNode max = root.get("maxPayload");
        long maxPayload = max != null && max.canConvertToLong() && max.asLong() > 0 ? max.asLong()
                : DEFAULT_MAX_PAYLOAD;
        return new EngineOpen(sid.asText(), interval, timeout, maxPayload);
    }

    private static long heartbeat(JsonNode root, String field) throws SocketIoProtocolException {
        JsonNode n = root.get(field);
        if (n == null || !n.canConvertToLong() || n.asLong() <= 0 || n.asLong() > MAX_HEARTBEAT_MS) {
            throw new SocketIoProtocolException("Engine.IO open packet has no usable " + field);
        }
        return n.asLong();
    }
}
