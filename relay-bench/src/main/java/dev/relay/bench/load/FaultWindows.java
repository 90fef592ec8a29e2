package dev.relay.bench.load;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The spans of time a fault affects each sink, so that a soak's latency outside them can be told
 * from latency inside (the latency target is for a healthy sink, not for one whose service is
 * away). A window runs from the fault's start to the end of the refusal that follows plus the
 * recovery allowance ({@link SoakOptions#recoveryMs}). Times are {@link System#nanoTime()}.
 *
 * <p>Thread-safety: {@link #open} from the fault thread, {@link #covers} from the fakes' event
 * loops at every arrival: each sink's windows are an immutable array replaced on write, so a
 * reader never locks or allocates.
 */
final class FaultWindows {
    /** Per sink index: {start0, end0, start1, end1, …}. */
    private final AtomicReferenceArray<long[]> windows;

    FaultWindows(int sinks) {
        windows = new AtomicReferenceArray<>(sinks);
        for (int i = 0; i < sinks; i++) {
            windows.set(i, new long[0]);
        }
    }

    /** Declares [{@code fromNanos}, {@code toNanos}) as affected for sink {@code sink}. One writer. */
    void open(int sink, long fromNanos, long toNanos) {
        long[] old = windows.get(sink);
        long[] next = Arrays.copyOf(old, old.length + 2);
        next[old.length] = fromNanos;
        next[old.length + 1] = toNanos;
        windows.set(sink, next);
    }

    /** True when the frame intended at {@code intendedNanos}, or its arrival, fell into a window of {@code sink}. */
    boolean covers(int sink, long intendedNanos, long arrivalNanos) {
        long[] w = windows.get(sink);
        for (int i = 0; i < w.length; i += 2) {
            if (intendedNanos >= w[i] && intendedNanos < w[i + 1] || arrivalNanos >= w[i] && arrivalNanos < w[i + 1]) {
                return true;
            }
        }
        return false;
    }

    /** How many windows sink {@code sink} has had. */
    int count(int sink) {
        return windows.get(sink).length / 2;
    }
}
