package dev.relay.core.call;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of timeline gaps longer than {@code relay.media.max-fill}, for
 * {@code /metrics}: how many there were, and how much of them was left out of the timeline.
 * Written from every media thread (rarely), hence {@link LongAdder}.
 */
public final class MediaGaps {
    private static final LongAdder CAPPED = new LongAdder();
    private static final LongAdder UNFILLED_SAMPLES_8K = new LongAdder();

    private MediaGaps() {}

    static void capped(long unfilledSamples8k) {
        CAPPED.increment();
        UNFILLED_SAMPLES_8K.add(unfilledSamples8k);
    }

    /** Gaps longer than the cap since start. */
    public static long cappedGaps() {
        return CAPPED.sum();
    }

    /** Seconds of those gaps beyond the cap, which no sink received. */
    public static double unfilledSeconds() {
        return UNFILLED_SAMPLES_8K.sum() / 8000.0;
    }
}
