package dev.relay.core.event;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans call events out to subscribers (events WebSocket, webhooks, tests) and the log.
 *
 * <p>The log gets every event at INFO without what callers said: the events that carry speech
 * ({@link #SPEECH}: transcripts, aiOla's structured results, the session's final result) show only
 * their field names, and a per-call webhook URL is left out; DEBUG logs every field. Secrets and
 * phone numbers are masked further down, by the log appender, in every format.
 *
 * <p>Publish is called from IO and DSP threads; subscribers must not block (they enqueue into their
 * own bounded queue). A subscriber that throws is logged and keeps its subscription.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);
    /** Event types whose data is what a caller said: their values are logged at DEBUG only. */
    static final Set<String> SPEECH = Set.of("transcript", "stt.event", "session.result");
    /** Fields left out at INFO whatever the event: a webhook URL may carry its secret in the path. */
    private static final Set<String> PRIVATE_FIELDS = Set.of("webhook");

    private final CopyOnWriteArrayList<Consumer<CallEvent>> subscribers = new CopyOnWriteArrayList<>();

    public void publish(CallEvent event) {
        if (log.isDebugEnabled()) {
            log.debug("event {} callId={} {}", event.type(), event.callId(), event.data());
        } else if (log.isInfoEnabled()) {
            log.info("event {} callId={} {}", event.type(), event.callId(), atInfo(event));
        }
        for (Consumer<CallEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed on {} callId={}", event.type(), event.callId(), e);
            }
        }
    }

    /** What INFO shows of an event's data. */
    static Object atInfo(CallEvent event) {
        if (SPEECH.contains(event.type())) {
            return "fields " + event.data().keySet() + " (values at DEBUG)";
        }
        Map<String, Object> shown = event.data();
        for (String field : PRIVATE_FIELDS) {
            if (shown.containsKey(field)) {
                shown = new LinkedHashMap<>(shown);
                shown.put(field, "(at DEBUG)");
            }
        }
        return shown;
    }

    /** Adds a subscriber; the returned handle removes it. */
    public AutoCloseable subscribe(Consumer<CallEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
