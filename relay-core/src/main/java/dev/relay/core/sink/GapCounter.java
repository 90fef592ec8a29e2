package dev.relay.core.sink;

/**
 * Gap accounting for one sink instance: the samples (16 kHz) of the call's timeline it skipped
 * because their frames were dropped before they were sent. Every chunk names where it starts in the
 * timeline; a chunk that starts later than the previous one ended is a gap of the difference.
 *
 * <p>Single writer (the sink's IO loop); {@link #gapSamples} is readable from any thread.
 */
final class GapCounter {
    private long expectedSample = -1;
    private volatile long gapSamples;

    /** Accounts for the chunk about to be sent. */
    void next(long startSample16k, int samples16k) {
        long expected = expectedSample;
        if (expected >= 0 && startSample16k > expected) {
            gapSamples += startSample16k - expected;
        }
        expectedSample = startSample16k + samples16k;
    }

    long gapSamples() {
        return gapSamples;
    }
}
