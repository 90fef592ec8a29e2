package dev.relay.core.sink;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Reconnect delays: exponential growth with full jitter (a uniform draw between 0 and the
 * exponential ceiling), so that thousands of calls losing one sink at once do not come back in
 * lock step. Bounded by {@code maxMs}; never below {@code floorMs}, so even a run of unlucky draws
 * is not a hot loop.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final long floorMs;
    private final LongUnaryOperator uniform;

    /** @param uniform draws uniformly from {@code [0, bound]} (tests pass a fixed one) */
    public Backoff(long initialMs, long maxMs, LongUnaryOperator uniform) {
        if (initialMs < 1 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff " + initialMs + ".." + maxMs + " ms");
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.floorMs = Math.max(1, initialMs / 4);
        this.uniform = uniform;
    }

    public Backoff(long initialMs, long maxMs) {
        this(initialMs, maxMs, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** Delay before reconnect attempt {@code attempt} (0 for the first retry after a loss). */
    public long delayMs(int attempt) {
        return Math.max(floorMs, uniform.applyAsLong(ceilingMs(attempt)));
    }

    /** The exponential ceiling the jitter draws under: {@code min(max, initial * 2^attempt)}. */
    public long ceilingMs(int attempt) {
        int shift = Math.min(Math.max(attempt, 0), 40);
        long ceiling = initialMs << shift;
        return ceiling <= 0 || ceiling > maxMs || (ceiling >> shift) != initialMs ? maxMs : ceiling;
    }

    public long maxMs() {
        return maxMs;
    }
}
