package dev.relay.bench.load;

import dev.relay.bench.fakes.FakeSessionStream;
import dev.relay.bench.fakes.FakeSocketIoServer;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the soak's fault schedule against the fakes: every {@link SoakOptions#killAiolaEveryMs()}
 * every aiOla connection is dropped (a reset, no disconnect) and reconnects are refused for
 * {@link SoakOptions#refuseForMs()}; every {@link SoakOptions#stallEveryMs()} session-stream stops
 * reading its uploads for {@link SoakOptions#stallForMs()}, then drops them (a restarted service)
 * and refuses reconnects for the refusal time. Each fault declares its {@link FaultWindows} window
 * before it starts and prints one line.
 *
 * <p>Thread-safety: the schedule runs on one daemon thread of its own; the counters are atomic.
 */
final class FaultInjector implements AutoCloseable {
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "soak-faults");
        t.setDaemon(true);
        return t;
    });
    private final SoakOptions soak;
    private final FaultWindows windows;
    private final PrintStream out;
    private final long epochNanos;
    private final AtomicInteger aiolaKills = new AtomicInteger();
    private final AtomicInteger stalls = new AtomicInteger();

    /**
     * @param epochNanos the run's time zero ({@link System#nanoTime()}), for the printed times
     */
    FaultInjector(SoakOptions soak, FaultWindows windows, PrintStream out, long epochNanos) {
        this.soak = soak;
        this.windows = windows;
        this.out = out;
        this.epochNanos = epochNanos;
    }

    /**
     * Starts the schedule: faults from {@code fromNanos} (the steady state) until {@code untilNanos}
     * (the end of the streaming), so that every fault and its recovery are over before the calls
     * hang up.
     */
    void start(SinkFakes fakes, long fromNanos, long untilNanos) {
        long lastStart = untilNanos - TimeUnit.MILLISECONDS.toNanos(soak.stallForMs() + soak.refuseForMs()
                + soak.recoveryMs);
        if (fakes.aiola() != null) {
            every(soak.killAiolaEveryMs(), fromNanos, lastStart, () -> killAiola(fakes.aiola(),
                    fakes.meterIndex("aiola")));
        }
        if (fakes.sessionStream() != null) {
            every(soak.stallEveryMs(), fromNanos, lastStart, () -> stallSessionStream(fakes.sessionStream(),
                    fakes.meterIndex("session-stream")));
        }
    }

    private void every(long periodMs, long fromNanos, long lastStartNanos, Runnable fault) {
        long period = TimeUnit.MILLISECONDS.toNanos(periodMs);
        for (long at = fromNanos + period; at <= lastStartNanos; at += period) {
            thread.schedule(fault, at - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
    }

    private void killAiola(FakeSocketIoServer aiola, int sink) {
        long now = System.nanoTime();
        long refuse = TimeUnit.MILLISECONDS.toNanos(soak.refuseForMs());
        windows.open(sink, now, now + refuse + TimeUnit.MILLISECONDS.toNanos(soak.recoveryMs));
        try {
            aiola.refuseConnections(true);
            int killed = aiola.killConnections();
            aiolaKills.incrementAndGet();
            log(now, "aiOla: %d connections killed, reconnects refused for %s", killed,
                    Report.seconds(soak.refuseForMs()));
            thread.schedule(() -> {
                try {
                    aiola.refuseConnections(false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, refuse, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stallSessionStream(FakeSessionStream session, int sink) {
        long now = System.nanoTime();
        long stall = TimeUnit.MILLISECONDS.toNanos(soak.stallForMs());
        long refuse = TimeUnit.MILLISECONDS.toNanos(soak.refuseForMs());
        windows.open(sink, now, now + stall + refuse + TimeUnit.MILLISECONDS.toNanos(soak.recoveryMs));
        session.stall(true);
        stalls.incrementAndGet();
        log(now, "session-stream: stalled for %s", Report.seconds(soak.stallForMs()));
        thread.schedule(() -> {
            try {
                session.refuseConnections(true);
                int dropped = session.dropUploads();
                session.stall(false);
                log(System.nanoTime(), "session-stream: %d uploads dropped, reconnects refused for %s", dropped,
                        Report.seconds(soak.refuseForMs()));
                thread.schedule(() -> {
                    try {
                        session.refuseConnections(false);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, refuse, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, stall, TimeUnit.NANOSECONDS);
    }

    private void log(long nanos, String format, Object... args) {
        out.printf(Locale.ROOT, "[%6.1fs] fault: %s%n", (nanos - epochNanos) / 1e9, String.format(Locale.ROOT, format,
                args));
    }

    int aiolaKills() {
        return aiolaKills.get();
    }

    int stalls() {
        return stalls.get();
    }

    /** Stops the schedule; a refusal under way is lifted by the fakes' own close. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
