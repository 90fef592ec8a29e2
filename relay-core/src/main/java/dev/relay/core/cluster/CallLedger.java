package dev.relay.core.cluster;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls this node has claimed and not yet unregistered, whatever Redis said: the source the
 * node re-registers from when the cluster comes back. Claims in flight are in it too, so a
 * re-registration racing a claim never drops the claimed call. Thread-safe.
 */
final class CallLedger {
    private final ConcurrentHashMap<String, CallRecord> calls = new ConcurrentHashMap<>();

    /** Adds {@code call}; false when its id is already in the ledger (a local duplicate). */
    boolean add(CallRecord call) {
        return calls.putIfAbsent(call.callId(), call) == null;
    }

    /** Removes exactly this entry (a refused claim), leaving a newer one for the same id alone. */
    void remove(CallRecord call) {
        calls.remove(call.callId(), call);
    }

    /** Removes the id; true when it was there. */
    boolean remove(String callId) {
        return calls.remove(callId) != null;
    }

    boolean contains(String callId) {
        return calls.containsKey(callId);
    }

    List<CallRecord> snapshot() {
        return List.copyOf(calls.values());
    }

    int size() {
        return calls.size();
    }
}
