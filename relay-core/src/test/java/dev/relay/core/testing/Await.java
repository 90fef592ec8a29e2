package dev.relay.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The tests' one way to wait for something another thread makes happen: poll a condition (or a
 * probe for a value) every few milliseconds until it holds, for a bounded time, then fail with what
 * was awaited. A test never sleeps for a guessed duration instead; the timeout is a bound on a
 * hang, not a performance assertion, so it is generous for a loaded 2-core machine.
 *
 * <p>relay-bench's tests use it through relay-core's test-jar. Stateless; thread-safe.
 */
public final class Await {
    /**
     * The bound when a test does not name one: a bound on a hang, so generous enough for a
     * 2-core machine shared with other builds (5 s was seen to run out under a load of 19).
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    /** Between polls: short next to the work awaited, long enough not to steal a 2-core machine's CPU. */
    private static final long POLL_MILLIS = 5;

    private Await() {}

    /** A condition that must keep holding; it may wait on a peer (a stats request) while checked. */
    @FunctionalInterface
    public interface Invariant {
        boolean holds() throws InterruptedException;
    }

    /** Waits up to {@link #DEFAULT_TIMEOUT} for {@code condition}; fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, DEFAULT_TIMEOUT, condition);
    }

    /** Waits up to {@code timeout} for {@code condition}; fails naming {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        value(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null, null);
    }

    /**
     * Checks that {@code invariant} keeps holding for the whole of {@code window} (polled), and fails
     * naming {@code what} at the first poll where it does not. For the absence of something (no
     * retry after a refusal, no message after a mark): such a window can only miss a defect that
     * shows later, never fail a correct relay, so its length is a sensitivity, not a timing bound.
     */
    public static void during(String what, Duration window, Invariant invariant) throws InterruptedException {
        final long end = System.nanoTime() + window.toNanos();
        do {
            if (!invariant.holds()) {
                throw new AssertionError(what + ": broken within " + window.toMillis() + " ms");
            }
            Thread.sleep(POLL_MILLIS);
        } while (System.nanoTime() - end < 0);
        if (!invariant.holds()) {
            throw new AssertionError(what + ": broken within " + window.toMillis() + " ms");
        }
    }

    /**
     * Polls {@code probe} until it returns non-null, for up to {@code timeout}, and returns that value;
     * fails naming {@code what} and, when {@code seen} is given, what it describes at that moment
     * (the events received, a peer's log).
     */
    public static <T> T value(String what, Duration timeout, Supplier<T> probe, Supplier<?> seen)
            throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + timeout.toMillis() + " ms"
                        + (seen == null ? "" : "; saw " + seen.get()));
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
