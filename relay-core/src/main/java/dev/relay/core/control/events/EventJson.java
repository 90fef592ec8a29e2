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
 * {@code {"type":"…","callId":"…","ts":<epoch ms>, …data}}. The event's data fields sit at the
 * top level beside the three fixed ones, in name order (event data maps have no order of their
 * own); a data field named {@code type}, {@code callId} or {@code ts} is left out rather than
 * allowed to shadow them. Thread-safe.
 */
public final class EventJson {
    private static final ObjectMapper JSON = Json.MAPPER;

    private EventJson() {}

    /** The event as an ordered map (fixed fields first). */
    public static Map<String, Object> toMap(CallEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", event.type());
        m.put("callId", event.callId());
        m.put("ts", event.tsMillis());
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
        try {
            return JSON.writeValueAsBytes(toMap(event));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.type() + " not serialisable", e);
        }
    }
}
