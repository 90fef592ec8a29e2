package dev.relay.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * jHiccup's idea in a few lines: a thread that asks to sleep 1 ms and records how much longer it
 * took. On a quiet machine that is tens of microseconds; when the generator's JVM (GC, safepoints)
 * or the machine (other processes on the two cores) stalls, it shows here, and the report warns,
 * because those stalls are then also in the measured latencies.
 */
final class HiccupMeter implements AutoCloseable {
    private static final long SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final LatencyMetric hiccups = new LatencyMetric("hiccup", "1 ms sleep overshoot in the generator");
    private final Thread thread;
    private volatile boolean running = true;

    HiccupMeter() {
        thread = new Thread(this::loop, "loadtest-hiccup");
        thread.setDaemon(true);
        thread.start();
    }

    LatencyMetric metric() {
        return hiccups;
    }

    private void loop() {
        while (running) {
            long before = System.nanoTime();
            LockSupport.parkNanos(SLEEP_NANOS);
            hiccups.record(Math.max(1, System.nanoTime() - before - SLEEP_NANOS));
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
