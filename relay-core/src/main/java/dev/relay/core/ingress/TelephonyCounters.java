package dev.relay.core.ingress;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of telephony input the relay refused or dropped, by reason label (stable
 * snake_case names used as the {@code reason} label of {@code relay_telephony_rejected_total}).
 */
public final class TelephonyCounters {
    private static final ConcurrentHashMap<String, LongAdder> REJECTED = new ConcurrentHashMap<>();

    private TelephonyCounters() {}

    public static void reject(String reason) {
        REJECTED.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public static long rejected(String reason) {
        LongAdder a = REJECTED.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** A copy of every reason seen so far and its count. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        REJECTED.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
