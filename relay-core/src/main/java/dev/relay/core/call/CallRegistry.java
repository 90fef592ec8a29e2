package dev.relay.core.call;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The calls live on this host, by call id. Thread-safe. */
public final class CallRegistry {
    private static final Logger log = LoggerFactory.getLogger(CallRegistry.class);

    /**
     * Told when a call registers and when its media path has finished (sinks closed, stats final),
     * e.g. by metrics that must fold an ended call's counters into process totals. A call leaves
     * {@link #all()} when it is released, before it finishes: between the two it is in neither.
     *
     * <p>Called on the call's IO loop (started) and media thread (finished); must not block.
     */
    public interface Listener {
        void callStarted(Call call);

        void callFinished(Call call);
    }

    private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();
    private final LongAdder resumed = new LongAdder();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener for calls registered from now on. */
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Adds {@code call}; false when its id is already live (the new one must be refused). */
    boolean register(Call call) {
        boolean added = calls.putIfAbsent(call.callId(), call) == null;
        if (added) {
            total.increment();
            for (Listener l : listeners) {
                try {
                    l.callStarted(call);
                } catch (RuntimeException e) {
                    log.warn("call listener failed on start callId={}", call.callId(), e);
                }
            }
        }
        return added;
    }

    /** The call's media path finished; its stats are final. */
    void finished(Call call) {
        for (Listener l : listeners) {
            try {
                l.callFinished(call);
            } catch (RuntimeException e) {
                log.warn("call listener failed on finish callId={}", call.callId(), e);
            }
        }
    }

    void remove(Call call) {
        calls.remove(call.callId(), call);
    }

    public boolean isLive(String callId) {
        return calls.containsKey(callId);
    }

    public Call get(String callId) {
        return calls.get(callId);
    }

    public Collection<Call> all() {
        return List.copyOf(calls.values());
    }

    public int active() {
        return calls.size();
    }

    /** A live call was taken over by a new socket ({@code duplicate-call-id = resume}). */
    void resumed() {
        resumed.increment();
    }

    /** Takeovers of a live call by a new socket since start. */
    public long resumedTotal() {
        return resumed.sum();
    }

    /** Calls registered since start. */
    public long total() {
        return total.sum();
    }
}
