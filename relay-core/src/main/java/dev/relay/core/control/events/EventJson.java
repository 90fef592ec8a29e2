package dev.relay.core.control.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one JSON form of a call event, shared by the events WebSocket and the webhook:
 * {@code {"type":"…","callId":"…","ts":<epoch ms>, …data}}, and on a cluster-wide stream
 * ({@code ?scope=cluster}) also {@code "node":"…"}, the node that published it. The event's data
 * fields sit at the top level beside the fixed ones, in name order (event data maps have no order
 * of their own); a data field named like a fixed one is left out rather than allowed to shadow
 * it. Thread-safe.
 */
public final class EventJson {
    private static final ObjectMapper JSON = Json.MAPPER;

    private EventJson() {}

    /** The event as an ordered map (fixed fields first). */
    public static Map<String, Object> toMap(CallEvent event) {
        return toMap(event, null);
    }

    /** The event as an ordered map (fixed fields first), with {@code node} when it is not null. */
    public static Map<String, Object> toMap(CallEvent event, String node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", event.type());
        m.put("callId", event.callId());
        m.put("ts", event.tsMillis());
        if (node != null) {
            m.put("node", node);
        }
        for (Map.Entry<String, Object> e : new TreeMap<>(event.data()).entrySet()) {
            m.putIfAbsent(e.getKey(), e.getValue());
        }
        return m;
    }

    /**
     * UTF-8 JSON text of the event.
     *
     * @throws IllegalArgumentException when a data value cannot be serialised
     */
    public static byte[] toJson(CallEvent event) {
        return toJson(event, null);
    }

    /**
     * UTF-8 JSON text of the event, with {@code node} when it is not null.
     *
     * @throws IllegalArgumentException when a data value cannot be serialised
     */
    public static byte[] toJson(CallEvent event, String node) {
        try {
            return JSON.writeValueAsBytes(toMap(event, node));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " not serialisable", e);
        }
    }
}
