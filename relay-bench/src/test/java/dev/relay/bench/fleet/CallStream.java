package dev.relay.bench.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Calls offered continuously through HAProxy, as a provider offers them: a new call every
 * {@code periodMs}, each of {@code frames} frames. An attempt that is refused before the WebSocket
 * exists (HTTP 503 from a draining or full relay, or a connection that failed before the upgrade)
 * is retried at once, as a provider retries a call elsewhere, up to {@value #MAX_ATTEMPTS} attempts;
 * an attempt that was upgraded is never retried: it must complete. Runs on a thread of its own until
 * {@link #stop}; bounded by the attempts and the stop.
 */
final class CallStream implements AutoCloseable {
    static final int MAX_ATTEMPTS = 20;

    private final Pool pool;
    private final String prefix;
    private final int frames;
    private final long periodMs;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<PacedCall> upgraded = new ArrayList<>();
    private final List<String> failed = new ArrayList<>();
    private final AtomicInteger refusals = new AtomicInteger();
    private final Thread thread;

    CallStream(Pool pool, String prefix, int frames, long periodMs) {
        this.pool = pool;
        this.prefix = prefix;
        this.frames = frames;
        this.periodMs = periodMs;
        this.thread = new Thread(this::run, "call-stream");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        for (int i = 0; running.get(); i++) {
            String callId = prefix + i;
            try {
                offer(callId);
            } catch (Exception e) {
                synchronized (this) {
                    failed.add(callId + ": " + e);
                }
            }
            next += TimeUnit.MILLISECONDS.toNanos(periodMs);
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // the offering schedule, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void offer(String callId) throws Exception {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            PacedCall c = pool.call(callId, frames);
            int status = c.awaitUpgrade(15_000);
            if (status == 101) {
                synchronized (this) {
                    upgraded.add(c);
                }
                return;
            }
            refusals.incrementAndGet();
        }
        synchronized (this) {
            failed.add(callId + ": refused " + MAX_ATTEMPTS + " times");
        }
    }

    /** Stops offering and waits for the offering thread (up to 30 s). */
    void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    synchronized List<PacedCall> upgraded() {
        return List.copyOf(upgraded);
    }

    /** Calls that could not be placed at all, with why. */
    synchronized List<String> failed() {
        return List.copyOf(failed);
    }

    /** Attempts refused before the upgrade (and retried). */
    int refusals() {
        return refusals.get();
    }

    /** Stops offering; calls already placed go on to their end (the pool's close ends them otherwise). */
    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
