package dev.relay.core.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A call event on the cluster's events channel, as JSON:
 * {@code {"node":"…","type":"…","callId":"…","ts":<epoch ms>,"data":{…}}}. Control-plane traffic
 * (a few events per call), never media. Thread-safe.
 */
final class EventWire {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private EventWire() {}

    /**
     * @throws IllegalArgumentException when a data value cannot be serialised
     */
    static String encode(String node, CallEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", node);
        m.put("type", event.type());
        m.put("callId", event.callId());
        m.put("ts", event.tsMillis());
        m.put("data", event.data());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " not serialisable", e);
        }
    }

    /** The event in {@code text}, or null when it is not one (wrong JSON, missing or mistyped fields). */
    static ClusterEvent decode(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        JsonNode node = root.get("node");
        JsonNode type = root.get("type");
        JsonNode callId = root.get("callId");
        JsonNode ts = root.get("ts");
        JsonNode data = root.get("data");
        if (node == null || !node.isTextual() || node.asText().isEmpty() || type == null || !type.isTextual()
                || callId != null && !callId.isTextual() && !callId.isNull() || ts == null || !ts.canConvertToLong()
                || data != null && !data.isObject() && !data.isNull()) {
            return null;
        }
        Map<String, Object> fields = data == null || data.isNull() ? Map.of() : JSON.convertValue(data, MAP);
        String id = callId == null || callId.isNull() ? null : callId.asText();
        return new ClusterEvent(node.asText(),
                new CallEvent(type.asText(), id, ts.asLong(),
                        Collections.unmodifiableMap(new LinkedHashMap<>(fields))));
    }
}
