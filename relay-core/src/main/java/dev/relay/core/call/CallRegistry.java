package dev.relay.core.call;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** The calls live on this host, by call id. Thread-safe. */
public final class CallRegistry {
    private final ConcurrentHashMap<String, Call> calls = new ConcurrentHashMap<>();
    private final LongAdder total = new LongAdder();

    /** Adds {@code call}; false when its id is already live (the new one must be refused). */
    boolean register(Call call) {
        boolean added = calls.putIfAbsent(call.callId(), call) == null;
        if (added) {
            total.increment();
        }
        return added;
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

    /** Calls registered since start. */
    public long total() {
        return total.sum();
    }
}
