package dev.relay.core.ingress;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Counts one socket's malformed messages over a sliding window ({@code
 * relay.telephony.malformed-window}), so that a long call with a rare glitch is never closed
 * while a burst past {@code malformed-threshold} still is. A count that never decays closed every
 * long enough call with occasional glitches (issue #13 item 7).
 *
 * <p>The window slides in {@link #BUCKETS} steps: {@link #add} returns the messages counted in the
 * current step and the {@code BUCKETS - 1} before it, so it covers between 90 % and 100 % of the
 * window. Fixed memory whatever the threshold. One socket, IO loop only.
 */
final class MalformedWindow {
    static final int BUCKETS = 10;

    private final long stepNanos;
    private final int[] counts = new int[BUCKETS];
    private long step;
    private boolean started;
    private int total;

    MalformedWindow(long windowMs) {
        this.stepNanos = Math.max(1, TimeUnit.MILLISECONDS.toNanos(windowMs) / BUCKETS);
    }

    /** Counts one malformed message seen at {@code nowNanos}; returns the count within the window. */
    int add(long nowNanos) {
        long now = Math.floorDiv(nowNanos, stepNanos);
        if (!started) {
            started = true;
            step = now;
        }
        long advance = now - step;
        if (advance >= BUCKETS) {
            Arrays.fill(counts, 0);
            total = 0;
        } else {
            for (long s = step + 1; s <= now; s++) {
                int i = (int) Math.floorMod(s, (long) BUCKETS);
                total -= counts[i];
                counts[i] = 0;
            }
        }
        if (now > step) {
            step = now;
        }
        counts[(int) Math.floorMod(step, (long) BUCKETS)]++;
        return ++total;
    }
}
