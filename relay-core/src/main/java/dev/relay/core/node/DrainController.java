package dev.relay.core.node;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.node.Availability.Drain;
import dev.relay.core.node.Availability.Origin;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and ends drains (SPEC §8.1) and turns signals into them: SIGTERM drains and exits once
 * no call is left (after the accept grace) or at the drain timeout; SIGINT, or a second SIGTERM,
 * stops now. At the drain timeout every call still live gets a {@code call.evicted} event and is
 * closed with 1001. Calls are otherwise left alone: a drain only changes {@link Availability}.
 *
 * <p>Lock-free: transitions are compare-and-set on {@link Availability}; timer tasks carry the id of
 * the drain they were set for and do nothing once it is over. Any thread; the exit action runs on
 * a thread of its own (it stops the event loops, so it must not run on one).
 */
public final class DrainController {
    private static final Logger log = LoggerFactory.getLogger(DrainController.class);
    /** How often a SIGTERM drain looks for its last call to be gone. */
    static final long WATCH_PERIOD_MS = 50;
    static final int CLOSE_GOING_AWAY = 1001;
    static final String EVICTED_REASON = "drain timeout";

    /** The outcome of {@link #undrain}. */
    public enum Undrain {
        UNDRAINED,
        NOT_DRAINING,
        /** A SIGTERM or shutdown drain: it ends with the process. */
        NOT_UNDOABLE
    }

    private final Availability state;
    private final DrainConfig config;
    private final CallRegistry registry;
    private final EventBus events;
    private final ScheduledExecutorService timer;
    private final AtomicLong ids = new AtomicLong();
    private final LongAdder evicted = new LongAdder();
    private final AtomicReference<ScheduledFuture<?>> timeoutTask = new AtomicReference<>();
    private final AtomicReference<ScheduledFuture<?>> watchTask = new AtomicReference<>();
    private final AtomicBoolean exited = new AtomicBoolean();
    private volatile Runnable exit = () -> {};

    /** @param timer runs the drain timeout and the SIGTERM drain's watch (an event loop will do) */
    public DrainController(Availability state, DrainConfig config, CallRegistry registry, EventBus events,
            ScheduledExecutorService timer) {
        this.state = state;
        this.config = config;
        this.registry = registry;
        this.events = events;
        this.timer = timer;
    }

    /** Starts a drain by {@code by}, or returns the one in progress (draining twice is one drain). */
    public Drain drain(Origin by) {
        Drain started = new Drain(ids.incrementAndGet(), by, System.currentTimeMillis(), System.nanoTime(),
                by == Origin.SIGNAL);
        if (!state.compareAndSet(null, started)) {
            Drain current = state.drain();
            return current != null ? current : drain(by);
        }
        log.info("drain started by {}: {} live calls; new calls accepted for {} ms more, calls evicted after {} ms",
                by.label(), registry.active(), config.acceptGraceMs(), config.timeoutMs());
        timeoutTask.set(timer.schedule(() -> timedOut(started.id()), config.timeoutMs(), TimeUnit.MILLISECONDS));
        if (started.exitWhenDrained()) {
            watch(started.id());
        }
        return started;
    }

    /** Ends a drain started through the API. */
    public Undrain undrain() {
        Drain current = state.drain();
        if (current == null) {
            return Undrain.NOT_DRAINING;
        }
        if (current.by() != Origin.API || current.exitWhenDrained()) {
            return Undrain.NOT_UNDOABLE;
        }
        if (!state.compareAndSet(current, null)) {
            return undrain();
        }
        cancel(timeoutTask);
        log.info("drain ended through the API after {} ms: accepting calls again",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - current.sinceNanos()));
        return Undrain.UNDRAINED;
    }

    /**
     * SIGTERM: the first starts a drain that exits when over (an API drain in progress becomes
     * one); another during such a drain stops now.
     *
     * @param exitAction ends the process (it runs the shutdown: calls closed 1001, sinks flushed)
     */
    public void terminate(Runnable exitAction) {
        exit = exitAction;
        Drain current = state.drain();
        if (current == null) {
            if (drain(Origin.SIGNAL).by() != Origin.SIGNAL) {
                terminate(exitAction); // lost a race with another drain: decide again
            }
            return;
        }
        if (current.exitWhenDrained() || current.by() == Origin.SHUTDOWN) {
            log.info("second SIGTERM during the drain: stopping now");
            exitNow();
        } else if (state.compareAndSet(current, current.exiting())) {
            log.info("SIGTERM during a drain started by {}: the relay exits when it is over", current.by().label());
            watch(current.id());
        } else {
            terminate(exitAction);
        }
    }

    /** SIGINT: stop now. */
    public void interrupt(Runnable exitAction) {
        exit = exitAction;
        log.info("SIGINT: stopping now");
        exitNow();
    }

    /** The relay is stopping now: readiness says draining, upgrades are refused, timers stop. */
    public void shutdown() {
        while (true) {
            Drain current = state.drain();
            Drain stopping = new Drain(current == null ? ids.incrementAndGet() : current.id(), Origin.SHUTDOWN,
                    current == null ? System.currentTimeMillis() : current.sinceEpochMs(),
                    current == null ? System.nanoTime() : current.sinceNanos(), true);
            if (state.compareAndSet(current, stopping)) {
                break;
            }
        }
        exited.set(true);
        cancel(timeoutTask);
        cancel(watchTask);
    }

    /** Calls closed at a drain timeout since start. */
    public long evicted() {
        return evicted.sum();
    }

    private void timedOut(long drainId) {
        Drain current = state.drain();
        if (current == null || current.id() != drainId || current.by() == Origin.SHUTDOWN) {
            return;
        }
        int n = 0;
        for (Call call : registry.all()) {
            events.publish(CallEvent.of("call.evicted", call.callId(),
                    Map.of("reason", EVICTED_REASON, "drainTimeoutMs", config.timeoutMs())));
            call.hangUp(CLOSE_GOING_AWAY, EVICTED_REASON);
            n++;
        }
        evicted.add(n);
        log.info("drain timeout after {} ms: {} calls evicted", config.timeoutMs(), n);
        if (state.drain() != null && state.drain().exitWhenDrained()) {
            exitNow();
        }
    }

    /** While the drain {@code drainId} lasts, exits once its grace is over and no call is left. */
    private void watch(long drainId) {
        ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> {
            Drain current = state.drain();
            if (current == null || current.id() != drainId) {
                cancel(watchTask);
                return;
            }
            if (state.graceOver(current, System.nanoTime()) && registry.active() == 0
                    && state.admission().slotsInUse() == 0) {
                log.info("drain complete after {} ms: no call left",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - current.sinceNanos()));
                cancel(watchTask);
                exitNow();
            }
        }, 0, WATCH_PERIOD_MS, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> previous = watchTask.getAndSet(task);
        if (previous != null) {
            previous.cancel(false);
        }
    }

    private void exitNow() {
        if (exited.compareAndSet(false, true)) {
            Thread t = new Thread(exit, "relay-exit");
            t.start();
        }
    }

    private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> f = task.getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
    }
}
