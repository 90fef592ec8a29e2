package dev.relay.bench.load;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Sends the frames of every call on one event loop at their intended times. The calls sit in a
 * binary min-heap on their next due time; each wake-up reads the clock once, sends what is due
 * (up to {@link #MAX_BATCH} calls, so the loop's sockets and the fakes on it are never starved),
 * and the next wake-up comes no sooner than {@code tickNanos} after this one unless the loop is
 * already late (so thousands of calls cost a few thousand wake-ups a second, not one per frame).
 * Lateness against the schedule is recorded per frame as schedule lag: it is part of the measured
 * latency, as in any open-loop rig, and the report warns when it is not small.
 *
 * <p>Two ways to wake, chosen by load so that neither disturbs the relay being measured: while
 * the loop's calls are due less often than once a tick on average, one timer per wake-up at the
 * earliest due frame (a Netty scheduled task, about 100 bytes each, at most one per frame); from
 * one frame per tick on, a single fixed-rate timer at the tick, which allocates nothing, and would
 * fire as often as the per-wake-up timers anyway. A quiet loop thus never wakes more than its calls
 * need, and a busy one allocates nothing per frame.
 *
 * <p>Runs on its event loop only; the calls' channels are registered on the same loop, so a send
 * is a direct write with no task hand-off.
 */
final class Pacer implements Runnable {
    /** Calls served per wake-up before the loop gets back to its sockets. */
    static final int MAX_BATCH = 256;

    private final EventLoop loop;
    private final FrameWriter writer;
    private final LatencyMetric lag;
    private final long tickNanos;
    private SimCall[] heap = new SimCall[64];
    private long[] due = new long[64];
    private int size;
    private ScheduledFuture<?> wake;
    private long wakeAtNanos = Long.MAX_VALUE;
    private long lastRunNanos;
    /** The fixed-rate timer of a busy loop, or null while the loop wakes per due frame. */
    private ScheduledFuture<?> ticker;

    Pacer(EventLoop loop, FrameWriter writer, LatencyMetric lag, long tickNanos) {
        this.loop = loop;
        this.writer = writer;
        this.lag = lag;
        this.tickNanos = tickNanos;
    }

    EventLoop loop() {
        return loop;
    }

    /** Starts pacing a call that was just scheduled. Event loop only. */
    void add(SimCall call) {
        long next = call.nextDueNanos();
        if (next < 0) {
            return;
        }
        push(call, next);
        if (ticker == null && busy()) {
            // Busy enough for a frame every tick: one timer from now on instead of one per wake-up.
            if (wake != null) {
                wake.cancel(false);
                wake = null;
                wakeAtNanos = Long.MAX_VALUE;
            }
            ticker = loop.scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        } else if (ticker == null) {
            arm(next);
        }
    }

    /** True when the loop's calls are due at least once a tick on average. */
    private boolean busy() {
        return (long) size * tickNanos >= SimCall.FRAME_NANOS;
    }

    @Override
    public void run() {
        if (ticker == null) {
            wake = null;
            wakeAtNanos = Long.MAX_VALUE;
        }
        long now = System.nanoTime();
        lastRunNanos = now;
        // One pass over what is due at this clock reading, at most MAX_BATCH calls: the loop also
        // serves the calls' sockets and the fakes, which a pacer that never yields would starve.
        for (int n = 0; n < MAX_BATCH && size > 0 && due[0] <= now; n++) {
            SimCall call = pop();
            if (call.state == SimCall.State.STREAMING) {
                call.sendDue(now, writer, lag);
                long next = call.nextDueNanos();
                if (next >= 0 && call.state == SimCall.State.STREAMING) {
                    push(call, next);
                }
            }
        }
        if (ticker != null) {
            if (size > 0 && due[0] <= now) {
                // The batch limit left calls due: after the loop's sockets, not a tick later.
                loop.execute(this);
            } else if (2L * size * tickNanos < SimCall.FRAME_NANOS) {
                // Calls ended (the ramp-down): back to waking per due frame, with hysteresis.
                ticker.cancel(false);
                ticker = null;
                if (size > 0) {
                    arm(due[0]);
                }
            }
        } else if (size > 0) {
            arm(due[0]);
        }
    }

    /** Calls being paced now. */
    int size() {
        return size;
    }

    private void arm(long atNanos) {
        // Behind schedule: run again as soon as the loop has polled its sockets.
        long at = atNanos <= System.nanoTime() ? atNanos : Math.max(atNanos, lastRunNanos + tickNanos);
        if (wake != null) {
            if (wakeAtNanos <= at) {
                return;
            }
            wake.cancel(false);
        }
        wakeAtNanos = at;
        long delay = Math.max(0, at - System.nanoTime());
        wake = loop.schedule(this, delay, TimeUnit.NANOSECONDS);
    }

    private void push(SimCall call, long key) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
            due = Arrays.copyOf(due, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (due[parent] <= key) {
                break;
            }
            heap[i] = heap[parent];
            due[i] = due[parent];
            i = parent;
        }
        heap[i] = call;
        due[i] = key;
    }

    private SimCall pop() {
        SimCall top = heap[0];
        int last = --size;
        SimCall moved = heap[last];
        long key = due[last];
        heap[last] = null;
        int i = 0;
        int half = last >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < last && due[right] < due[child]) {
                child = right;
            }
            if (key <= due[child]) {
                break;
            }
            heap[i] = heap[child];
            due[i] = due[child];
            i = child;
        }
        if (last > 0) {
            heap[i] = moved;
            due[i] = key;
        }
        return top;
    }
}
