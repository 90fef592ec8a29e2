package dev.relay.core.node;

import dev.relay.core.cluster.NodeState;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this node takes new calls (SPEC §8): its {@link NodeState} (ready, draining or full),
 * and for a drain who started it and when. Read by the upgrade gate, the outbound-call route,
 * {@code /readyz}, the status route, the agent check and the cluster heartbeat; the call lifecycle
 * never reads it. Only {@link DrainController} changes it.
 *
 * <p>Draining wins over full; full is not stored but read from {@link Admission} each time.
 * Lock-free (one atomic reference); any thread.
 */
public final class Availability {
    /** Who started a drain. */
    public enum Origin {
        /** {@code POST /v1/admin/drain}; {@code POST /v1/admin/undrain} ends it. */
        API,
        /** SIGTERM: the relay exits once the drain is over. */
        SIGNAL,
        /** A stop-now shutdown in progress (SIGINT, a second SIGTERM, or the end of a drain). */
        SHUTDOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One drain.
     *
     * @param id distinguishes drains, so a timer set for one never acts on a later one
     * @param by who started it
     * @param sinceEpochMs when it started, wall clock
     * @param sinceNanos when it started, monotonic clock
     * @param exitWhenDrained the relay exits once no call is left (a SIGTERM arrived)
     */
    public record Drain(long id, Origin by, long sinceEpochMs, long sinceNanos, boolean exitWhenDrained) {
        Drain exiting() {
            return new Drain(id, by, sinceEpochMs, sinceNanos, true);
        }
    }

    private final AtomicReference<Drain> drain = new AtomicReference<>();
    private final Admission admission;
    private final long acceptGraceNanos;

    public Availability(Admission admission, long acceptGraceMs) {
        this.admission = admission;
        this.acceptGraceNanos = TimeUnit.MILLISECONDS.toNanos(acceptGraceMs);
    }

    /** What {@code /readyz}, the status route, the agent check and the cluster heartbeat report. */
    public NodeState state() {
        if (drain.get() != null) {
            return NodeState.DRAINING;
        }
        return admission.fullReason() != null ? NodeState.FULL : NodeState.READY;
    }

    /** The drain in progress, or null. */
    public Drain drain() {
        return drain.get();
    }

    public boolean draining() {
        return drain.get() != null;
    }

    /**
     * True when new telephony upgrades are refused for a drain: its accept grace is over, or the
     * relay is shutting down.
     */
    public boolean refusesUpgrades(long nowNanos) {
        Drain d = drain.get();
        return d != null && (d.by() == Origin.SHUTDOWN || nowNanos - d.sinceNanos() >= acceptGraceNanos);
    }

    /** True once {@code d}'s accept grace is over. */
    boolean graceOver(Drain d, long nowNanos) {
        return nowNanos - d.sinceNanos() >= acceptGraceNanos;
    }

    boolean compareAndSet(Drain expected, Drain update) {
        return drain.compareAndSet(expected, update);
    }

    Admission admission() {
        return admission;
    }
}
