package dev.relay.core.cluster;

import dev.relay.core.event.CallEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports the calls of dead nodes as {@code call.lost}, once each. The reap script moves a dead
 * node's calls into this node's lost hash in Redis; every heartbeat returns what the hash holds;
 * each entry is emitted to the wiring (which publishes it on the node's event bus, from where it
 * reaches the other nodes like every local event) and then deleted from the hash. An entry
 * whose delete did not get through is seen again on the next beat and only deleted again, since
 * this node remembers what it emitted until the delete succeeds. Should this node die holding
 * entries, whoever reaps it inherits them. Thread-safe.
 */
final class LostCalls {
    /** The event type emitted for each call of a node whose heartbeat expired. */
    static final String EVENT = "call.lost";

    private static final Logger log = LoggerFactory.getLogger(LostCalls.class);

    private final RedisLink link;
    private final String nodeId;
    private final Consumer<CallEvent> local;
    private final Set<String> emitted = ConcurrentHashMap.newKeySet();

    /** @param local the wiring's event sink (the node's event bus) */
    LostCalls(RedisLink link, String nodeId, Consumer<CallEvent> local) {
        this.link = link;
        this.nodeId = nodeId;
        this.local = local;
    }

    /** Emits the entries of this node's lost hash ({@code callId, node} pairs) not emitted yet, then deletes them. */
    void report(List<?> pairs) {
        if (pairs == null || pairs.size() < 2) {
            return;
        }
        String[] ids = new String[pairs.size() / 2];
        int fresh = 0;
        for (int i = 0; i < ids.length; i++) {
            String callId = String.valueOf(pairs.get(2 * i));
            ids[i] = callId;
            if (emitted.add(callId)) {
                emit(callId, String.valueOf(pairs.get(2 * i + 1)));
                fresh++;
            }
        }
        if (fresh > 0) {
            log.warn("cluster: {} call(s) lost with a node whose heartbeat expired, reported as {}", fresh, EVENT);
        }
        link.hdel(Keys.nodeLost(nodeId), ids).whenComplete((n, e) -> {
            if (e == null) {
                for (String id : ids) {
                    emitted.remove(id);
                }
            }
        });
    }

    /** Emits {@code call.lost} for {@code callId}, held by {@code owner} when it was lost. */
    void emit(String callId, String owner) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("owner", owner);
        data.put("reason", "node heartbeat expired");
        CallEvent event = CallEvent.of(EVENT, callId, data);
        try {
            local.accept(event);
        } catch (RuntimeException e) {
            log.warn("cluster: {} consumer failed callId={}", EVENT, callId, e);
        }
    }
}
