package dev.relay.core.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code keywords.set} call event: STT keyword hints ({@code spoken → written}) set through
 * the control API and handed to the call's sinks. One definition of its type and data shape, so
 * the control route that publishes it and the STT sink that acts on it agree without importing
 * each other. Stateless; any thread.
 */
public final class KeywordsSignal {
    /** The call event type. */
    public static final String EVENT = "keywords.set";
    private static final String KEYWORDS = "keywords";

    private KeywordsSignal() {}

    /** The event for {@code callId} carrying {@code keywords} (kept in their order). */
    public static CallEvent of(String callId, Map<String, String> keywords) {
        return CallEvent.of(EVENT, callId, Map.of(KEYWORDS, keywords));
    }

    /**
     * The keyword map {@code event} carries, unmodifiable and in order, or null when it is not a
     * {@code keywords.set} event with a map of keywords.
     */
    public static Map<String, String> keywordsOf(CallEvent event) {
        if (!EVENT.equals(event.type()) || !(event.data().get(KEYWORDS) instanceof Map<?, ?> map)) {
            return null;
        }
        Map<String, String> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), String.valueOf(v)));
        return Collections.unmodifiableMap(copy);
    }
}
