package dev.relay.core.metrics;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.sink.Sink;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Process totals of per-call counters that never go backwards: the final counts of finished calls
 * plus what the calls still in flight have counted so far.
 *
 * <p>A call is tracked from registration until its media path has finished, not merely until it
 * leaves the {@link CallRegistry} (which happens earlier, at release): folding its final counts
 * into the finished totals and dropping it from the in-flight set happen under one lock, and a
 * scrape reads both under that lock, so a counter can only grow. Nothing here runs per frame: the
 * lock is taken at call start, call end and scrape.
 */
final class CallTotals implements CallRegistry.Listener {
    /** One consistent reading. Arrays are indexed by {@link CallCounter} / {@link SinkCounter} ordinal. */
    record Snapshot(long[] calls, Map<String, long[]> sinks, Map<String, Long> queueDepth) {
        long get(CallCounter counter) {
            return calls[counter.ordinal()];
        }
    }

    private final Object lock = new Object();
    private final Set<Call> inFlight = Collections.newSetFromMap(new IdentityHashMap<>());
    private final long[] finished = new long[CallCounter.VALUES.length];
    private final Map<String, long[]> finishedSinks = new TreeMap<>();
    private final List<String> sinkNames;
    private final Consumer<Call> onFinished;

    /**
     * @param sinkNames configured sinks, exported at 0 before any call uses them
     * @param onFinished told about each finished call after its counts were folded in (latency)
     */
    CallTotals(Collection<String> sinkNames, Consumer<Call> onFinished) {
        this.sinkNames = List.copyOf(sinkNames);
        this.onFinished = onFinished;
    }

    @Override
    public void callStarted(Call call) {
        synchronized (lock) {
            inFlight.add(call);
        }
    }

    @Override
    public void callFinished(Call call) {
        boolean tracked;
        synchronized (lock) {
            tracked = inFlight.remove(call);
            if (tracked) {
                add(call, finished, finishedSinks);
            }
        }
        if (tracked) {
            onFinished.accept(call);
        }
    }

    /** Calls registered and not yet finished (includes released calls still flushing their sinks). */
    int inFlight() {
        synchronized (lock) {
            return inFlight.size();
        }
    }

    Snapshot snapshot() {
        Map<String, long[]> sinks = new TreeMap<>();
        Map<String, Long> depth = new TreeMap<>();
        for (String name : sinkNames) {
            sinks.put(name, new long[SinkCounter.VALUES.length]);
            depth.put(name, 0L);
        }
        long[] calls;
        synchronized (lock) {
            calls = finished.clone();
            finishedSinks.forEach((name, counts) -> addAll(sinks.computeIfAbsent(name, n -> new long[counts.length]),
                    counts));
            for (Call call : inFlight) {
                add(call, calls, sinks);
                for (Sink sink : call.fanout().sinks()) {
                    depth.merge(sink.name(), (long) sink.queueDepth(), Long::sum);
                }
            }
        }
        return new Snapshot(calls, sinks, depth);
    }

    private static void add(Call call, long[] calls, Map<String, long[]> sinks) {
        for (CallCounter c : CallCounter.VALUES) {
            calls[c.ordinal()] += c.read.applyAsLong(call.stats());
        }
        for (Sink sink : call.fanout().sinks()) {
            long[] counts = sinks.computeIfAbsent(sink.name(), n -> new long[SinkCounter.VALUES.length]);
            for (SinkCounter c : SinkCounter.VALUES) {
                counts[c.ordinal()] += c.read.applyAsLong(sink);
            }
        }
    }

    private static void addAll(long[] into, long[] counts) {
        for (int i = 0; i < counts.length; i++) {
            into[i] += counts[i];
        }
    }
}
