package dev.relay.core.call;

import io.netty.channel.EventLoop;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jitter-buffer clock of every inline call on one IO loop: one task every {@link #TICK_MS}
 * ms ticks them all. A scheduled task per call would cost a removal and an insertion in the
 * loop's timer heap for every call on every tick, which showed in profiles at a few hundred
 * calls; one task per loop costs nothing per call. The task runs only while the loop has calls,
 * so an idle relay does not wake up every 10 ms.
 *
 * <p>Loop thread only; {@link #add} and {@link #remove} hop onto the loop when called elsewhere.
 * A pipeline whose tick throws is taken off the clock and its failure action runs (the call
 * factory hangs the call up with 1011); the other calls keep their clock.
 */
final class LoopTicker {
    static final long TICK_MS = 10;
    private static final Logger log = LoggerFactory.getLogger(LoopTicker.class);

    private final EventLoop loop;
    private Entry[] entries = new Entry[16];
    private int count;
    private boolean ticking;
    private boolean holes;
    private ScheduledFuture<?> task;

    /** A call on the clock: its tick (given {@link System#nanoTime()}) and what to do if that throws. */
    record Entry(String callId, LongConsumer tick, Runnable onFailure) {}

    LoopTicker(EventLoop loop) {
        this.loop = loop;
    }

    void add(Entry entry) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> add(entry));
            return;
        }
        if (count == entries.length) {
            entries = Arrays.copyOf(entries, count * 2);
        }
        entries[count++] = entry;
        if (task == null) {
            task = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    void remove(Entry entry) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> remove(entry));
            return;
        }
        for (int i = 0; i < count; i++) {
            if (entries[i] == entry) {
                if (ticking) {
                    entries[i] = null; // compacted once the tick is over
                    holes = true;
                } else {
                    entries[i] = entries[--count];
                    entries[count] = null;
                    stopIfIdle();
                }
                return;
            }
        }
    }

    /** Calls on the clock; loop thread only. */
    int size() {
        return count;
    }

    /** True while the loop's tick task is scheduled; loop thread only. */
    boolean running() {
        return task != null;
    }

    private void tick() {
        final long now = System.nanoTime();
        ticking = true;
        try {
            for (int i = 0; i < count; i++) {
                final Entry e = entries[i];
                if (e == null) {
                    continue;
                }
                try {
                    e.tick.accept(now);
                } catch (RuntimeException ex) {
                    log.error("callId={} jitter-buffer tick failed", e.callId, ex);
                    entries[i] = null;
                    holes = true;
                    e.onFailure.run();
                }
            }
        } finally {
            ticking = false;
        }
        if (holes) {
            compact();
        }
    }

    private void compact() {
        holes = false;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (entries[i] != null) {
                entries[kept++] = entries[i];
            }
        }
        Arrays.fill(entries, kept, count, null);
        count = kept;
        stopIfIdle();
    }

    private void stopIfIdle() {
        if (count == 0 && task != null) {
            task.cancel(false);
            task = null;
        }
    }
}
