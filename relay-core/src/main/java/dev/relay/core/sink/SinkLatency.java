package dev.relay.core.sink;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency from a frame's telephony arrival to its write into a sink's socket, for one sink name
 * across all calls: an HdrHistogram (1 µs to 60 s, 3 significant digits) that any IO loop records
 * into without locks or allocation, and that {@code /metrics} reads at scrape time.
 */
public final class SinkLatency {
    private static final long MAX_MICROS = TimeUnit.SECONDS.toMicros(60);

    private final String sink;
    private final ConcurrentHistogram micros = new ConcurrentHistogram(1, MAX_MICROS, 3);

    public SinkLatency(String sink) {
        this.sink = sink;
    }

    public String sink() {
        return sink;
    }

    /** Records one write, {@code nanos} after its newest frame arrived. */
    public void record(long nanos) {
        long us = Math.max(1, Math.min(MAX_MICROS, nanos / 1_000));
        micros.recordValue(us);
    }

    /** A stable copy, in microseconds, for reports and scrapes. */
    public Histogram snapshot() {
        return micros.copy();
    }
}
