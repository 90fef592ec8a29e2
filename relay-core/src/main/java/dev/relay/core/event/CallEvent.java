package dev.relay.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One thing that happened to a call: the single event type that flows to logs, the events
 * WebSocket and webhooks.
 *
 * @param type dotted event name from SPEC §6, e.g. {@code call.started}, {@code dtmf}
 * @param callId the call it belongs to
 * @param tsMillis wall-clock time in epoch milliseconds
 * @param data event-specific fields (JSON-serialisable values only)
 */
public record CallEvent(String type, String callId, long tsMillis, Map<String, Object> data) {

    public static CallEvent of(String type, String callId, Map<String, Object> data) {
        // Insertion order is kept so events read the same way in logs and JSON.
        return new CallEvent(type, callId, System.currentTimeMillis(),
                Collections.unmodifiableMap(new LinkedHashMap<>(data)));
    }
}
