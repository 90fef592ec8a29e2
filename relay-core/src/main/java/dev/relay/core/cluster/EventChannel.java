package dev.relay.core.cluster;

import dev.relay.core.event.CallEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the cluster's events channel ({@link Keys#EVENTS}): its own events go out
 * with its node id, other nodes' events come in to the subscribers; its own echo is dropped, since
 * the node's local bus already has them. Fire and forget: while the cluster is unavailable events
 * are dropped and counted, never queued. Thread-safe; publish is callable from any thread.
 */
final class EventChannel {
    private static final Logger log = LoggerFactory.getLogger(EventChannel.class);
    /** Longest excerpt of a malformed message in the log. */
    private static final int EXCERPT_CHARS = 200;

    private final RedisLink link;
    private final String nodeId;
    private final BooleanSupplier open;
    private final Consumer<Throwable> down;
    private final CopyOnWriteArrayList<Consumer<ClusterEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder malformed = new LongAdder();

    /**
     * @param open whether to try Redis at all (the node is up and not stopping)
     * @param down told when a publish could not reach Redis
     */
    EventChannel(RedisLink link, String nodeId, BooleanSupplier open, Consumer<Throwable> down) {
        this.link = link;
        this.nodeId = nodeId;
        this.open = open;
        this.down = down;
    }

    void publish(CallEvent event) {
        if (!open.getAsBoolean()) {
            dropped.increment();
            return;
        }
        String message;
        try {
            message = EventWire.encode(nodeId, event);
        } catch (IllegalArgumentException e) {
            log.warn("cluster: event {} not publishable callId={}", event.type(), event.callId(), e);
            dropped.increment();
            return;
        }
        link.publish(message).whenComplete((n, e) -> {
            if (e != null) {
                dropped.increment();
                down.accept(e);
            }
        });
    }

    AutoCloseable subscribe(Consumer<ClusterEvent> consumer) {
        subscribers.add(consumer);
        return () -> subscribers.remove(consumer);
    }

    /** A message from the channel. On the pub/sub connection's event loop. */
    void deliver(String message) {
        ClusterEvent event = EventWire.decode(message);
        if (event == null) {
            malformed.increment();
            log.warn("cluster: dropped a malformed message on {}: {}", Keys.EVENTS,
                    message.length() > EXCERPT_CHARS ? message.substring(0, EXCERPT_CHARS) + "…" : message);
            return;
        }
        if (event.node().equals(nodeId)) {
            return;
        }
        for (Consumer<ClusterEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                log.warn("cluster: event subscriber failed on {} callId={}", event.event().type(),
                        event.event().callId(), e);
            }
        }
    }

    long dropped() {
        return dropped.sum();
    }

    long malformed() {
        return malformed.sum();
    }
}
