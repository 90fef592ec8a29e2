package dev.relay.core.call;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Outbound calls started through the provider's REST API and not yet connected: the provider's
 * {@code callId} → the route (and webhook) chosen when the call was started. When the provider's
 * WebSocket registers that callId, {@link CallFactory} takes the entry and the call is placed on its
 * route, whatever route the upgrade path selected.
 *
 * <p>Bounded ({@code maxEntries}, oldest evicted first) and expiring ({@code ttlMs} after
 * {@link #put}), since most started calls are never answered. Thread-safe; all operations are
 * O(1) amortised under one short lock, taken at call start and registration only.
 */
public final class PendingCalls {
    /** How long an unanswered call is remembered by default. */
    public static final long DEFAULT_TTL_MS = TimeUnit.MINUTES.toMillis(10);
    public static final int DEFAULT_MAX_ENTRIES = 10_000;

    /**
     * What was chosen for a call when it was started.
     *
     * @param route route name (validated against the config when started)
     * @param webhookUrl the lifecycle webhook handed to the provider, or null
     */
    public record Pending(String route, String webhookUrl) {}

    private record Entry(Pending pending, long expiresAtNanos) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    public PendingCalls() {
        this(DEFAULT_MAX_ENTRIES, DEFAULT_TTL_MS, System::nanoTime);
    }

    /** @param nanoClock monotonic clock in nanoseconds (tests pass an adjustable one) */
    public PendingCalls(int maxEntries, long ttlMs, LongSupplier nanoClock) {
        if (maxEntries < 1 || ttlMs < 1) {
            throw new IllegalArgumentException("maxEntries and ttlMs must be positive");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = TimeUnit.MILLISECONDS.toNanos(ttlMs);
        this.nanoClock = nanoClock;
    }

    /** Remembers {@code callId}; replaces an earlier entry for the same id. */
    public synchronized void put(String callId, Pending pending) {
        long now = nanoClock.getAsLong();
        evictExpired(now);
        entries.remove(callId);
        if (entries.size() >= maxEntries) {
            Iterator<Entry> oldest = entries.values().iterator();
            oldest.next();
            oldest.remove();
        }
        entries.put(callId, new Entry(pending, now + ttlNanos));
    }

    /** Removes and returns the entry for {@code callId}, or null when none is live. */
    public synchronized Pending take(String callId) {
        Entry e = entries.remove(callId);
        return e == null || expired(e, nanoClock.getAsLong()) ? null : e.pending();
    }

    /** The entry for {@code callId} without removing it, or null. */
    public synchronized Pending peek(String callId) {
        Entry e = entries.get(callId);
        return e == null || expired(e, nanoClock.getAsLong()) ? null : e.pending();
    }

    /** Entries held, expired ones not yet evicted included. */
    public synchronized int size() {
        return entries.size();
    }

    private void evictExpired(long now) {
        // Insertion order is expiry order (same TTL for all), so stop at the first live entry.
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (!expired(it.next(), now)) {
                return;
            }
            it.remove();
        }
    }

    private static boolean expired(Entry e, long now) {
        return now - e.expiresAtNanos() >= 0;
    }
}
