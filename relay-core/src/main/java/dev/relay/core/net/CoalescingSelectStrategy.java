package dev.relay.core.net;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * While messages come faster than a period, polls an IO loop's sockets at most once per period,
 * so one wake-up serves every socket that became ready meanwhile instead of one wake-up per
 * message.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>With tasks queued the loop polls at once, as Netty's default strategy does.</li>
 *   <li>The loop gathers after a gathered poll that found IO, and after a blocking wait that
 *       ended within the period (traffic is dense enough that a sleep may collect more than one
 *       message), while gathering pays: a gathered poll that finds IO earns one credit, one that
 *       finds nothing (a sleep and a wake-up for no message) costs two, and with credit below
 *       zero a short wait only earns one back instead of gathering. Messages that come in bursts
 *       with long gaps between them therefore stop the gathering they cannot use.</li>
 *   <li>Gathering sleeps until a period after the previous poll, then polls: a pass that took
 *       longer than the period polls again at once, so a busy loop adds no idle time and a
 *       message waits at most one period plus one pass.</li>
 *   <li>Otherwise, and whenever a gathered poll finds nothing, it hands back to the transport's
 *       blocking wait. An idle loop sleeps as usual; at sparse traffic every message wakes the
 *       loop at once, exactly as without coalescing.</li>
 * </ol>
 *
 * <p>Tasks submitted from other threads and timers that fall due while the loop gathers run when
 * the period ends: the transport's wake-up signal only reaches a loop in its blocking wait.
 *
 * <p>One instance per event loop; only that loop's thread calls it.
 */
final class CoalescingSelectStrategy implements SelectStrategy {
    private static final long NOT_BLOCKED = Long.MIN_VALUE;
    private static final int MAX_CREDIT = 4;
    private static final int MISS_COST = 2;

    private final long periodNanos;
    private final LongSupplier clock;
    private final LongConsumer sleepNanos;
    private boolean dense;
    private int credit;
    private long blockedAt = NOT_BLOCKED;
    private long nextPollAt;

    CoalescingSelectStrategy(long periodNanos) {
        this(periodNanos, System::nanoTime, CoalescingSelectStrategy::sleepNanos);
    }

    /** With {@code clock} and {@code sleepNanos} in place of the real ones (tests drive both). */
    CoalescingSelectStrategy(long periodNanos, LongSupplier clock, LongConsumer sleepNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive, got " + periodNanos + " ns");
        }
        this.periodNanos = periodNanos;
        this.clock = clock;
        this.sleepNanos = sleepNanos;
    }

    @Override
    public int calculateStrategy(IntSupplier selectSupplier, boolean hasTasks) throws Exception {
        if (hasTasks) {
            return selectSupplier.get();
        }
        if (blockedAt != NOT_BLOCKED) {
            long now = clock.getAsLong();
            dense = now - blockedAt < periodNanos;
            if (dense && credit < 0) {
                credit++;
                dense = false;
            }
            blockedAt = NOT_BLOCKED;
            // When the wait ended is not known; this pass's end stands in for it.
            nextPollAt = now + periodNanos;
        }
        if (dense) {
            long wait = nextPollAt - clock.getAsLong();
            if (wait > 0) {
                sleepNanos.accept(wait);
            }
            nextPollAt = clock.getAsLong() + periodNanos;
            int ready = selectSupplier.get();
            if (ready > 0) {
                credit = Math.min(credit + 1, MAX_CREDIT);
                return ready;
            }
            credit = Math.max(credit - MISS_COST, -MAX_CREDIT);
            dense = false;
        }
        blockedAt = clock.getAsLong();
        return SelectStrategy.SELECT;
    }

    /** Sleeps at least {@code nanos}: parkNanos may return early (spuriously, or at once when interrupted). */
    static void sleepNanos(long nanos) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
