package dev.relay.core.event;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans call events out to subscribers (events WebSocket, webhooks, tests) and the log.
 *
 * <p>Publish is called from IO and DSP threads; subscribers must not block (they enqueue into their
 * own bounded queue). A subscriber that throws is logged and keeps its subscription.
 */
public final class EventBus {
    private static final Logger log = LoggerFactory.getLogger(EventBus.class);

    private final CopyOnWriteArrayList<Consumer<CallEvent>> subscribers = new CopyOnWriteArrayList<>();

    public void publish(CallEvent event) {
        if (log.isInfoEnabled()) {
            log.info("event {} callId={} {}", event.type(), event.callId(), event.data());
        }
        for (Consumer<CallEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("event subscriber failed on {} callId={}", event.type(), event.callId(), e);
            }
        }
    }

    /** Adds a subscriber; the returned handle removes it. */
    public AutoCloseable subscribe(Consumer<CallEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }
}
