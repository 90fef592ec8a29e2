package dev.relay.bench.fleet;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounded waits on conditions, the only way the fleet suite synchronises (never a bare sleep). */
final class Waits {
    /** How often a condition is polled. */
    private static final long POLL_MS = 20;

    private Waits() {}

    /** A condition that may throw (HTTP, files). */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }

    /** Waits up to {@code timeoutMs} for {@code check}; fails with {@code what} and {@code detail}. */
    static void until(String what, long timeoutMs, Check check, Supplier<String> detail) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeoutMs + " ms; " + detail.get());
            }
            Thread.sleep(POLL_MS);
        }
    }

    static void until(String what, long timeoutMs, Check check) throws Exception {
        until(what, timeoutMs, check, () -> "");
    }
}
