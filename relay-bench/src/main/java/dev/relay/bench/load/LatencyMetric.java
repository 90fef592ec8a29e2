package dev.relay.bench.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One latency distribution of a run, in nanoseconds (1 ns to 5 minutes, 3 significant digits):
 * any thread records into a wait-free {@link Recorder}; one reader thread takes interval
 * snapshots for the progress line ({@link #interval()}) and folds them into the run total.
 */
final class LatencyMetric {
    static final long MAX_NANOS = TimeUnit.MINUTES.toNanos(5);

    private final String name;
    private final String description;
    private final Recorder recorder = new Recorder(1, MAX_NANOS, 3);
    private final Histogram total = new Histogram(1, MAX_NANOS, 3);
    private Histogram interval;

    LatencyMetric(String name, String description) {
        this.name = name;
        this.description = description;
    }

    String name() {
        return name;
    }

    String description() {
        return description;
    }

    /** Any thread, wait-free; values outside the range are clamped. */
    void record(long nanos) {
        recorder.recordValue(Math.max(1, Math.min(MAX_NANOS, nanos)));
    }

    /** The values since the last call, also added to the total. Reader thread only. */
    Histogram interval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        return interval;
    }

    /** Everything recorded up to the last {@link #interval()}. Reader thread only. */
    Histogram total() {
        return total;
    }
}
