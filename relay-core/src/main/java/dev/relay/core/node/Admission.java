package dev.relay.core.node;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admission control's books: one slot per admitted telephony upgrade, held from the moment the
 * upgrade is accepted until the socket closes (so a socket that has not registered its call yet
 * already counts against max-calls, and an accepted WebSocket is never refused afterwards), the
 * CPU limit, and the refusals by reason.
 *
 * <p>Lock-free: a CAS loop on the slot count and adders for refusals; every method may be called
 * from any thread, including IO loops.
 */
public final class Admission {
    /** Why an upgrade was refused: the {@code reason} label of {@code relay_admission_rejected_total}. */
    public enum Reason {
        MAX_CALLS("max_calls"),
        CPU("cpu"),
        DRAINING("draining");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final int maxCalls;
    private final double maxCpuRatio;
    private final CpuLoad cpu;
    private final AtomicInteger slots = new AtomicInteger();
    private final LongAdder[] rejected = new LongAdder[Reason.values().length];

    /**
     * @param maxCalls slots available
     * @param maxCpuRatio refuse while {@code cpu} is above this; 0 = no CPU limit
     * @param cpu the relay's recent CPU load
     */
    public Admission(int maxCalls, double maxCpuRatio, CpuLoad cpu) {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("maxCalls must be at least 1, got " + maxCalls);
        }
        this.maxCalls = maxCalls;
        this.maxCpuRatio = maxCpuRatio;
        this.cpu = cpu;
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = new LongAdder();
        }
    }

    /**
     * Takes a slot for one upgrade. Returns null when admitted (the caller must {@link #release}
     * the slot when the socket closes), or why not, counted.
     */
    public Reason tryAcquire() {
        if (cpuOver()) {
            return refuse(Reason.CPU);
        }
        int n;
        do {
            n = slots.get();
            if (n >= maxCalls) {
                return refuse(Reason.MAX_CALLS);
            }
        } while (!slots.compareAndSet(n, n + 1));
        return null;
    }

    /** Gives back a slot taken by {@link #tryAcquire}. */
    public void release() {
        slots.decrementAndGet();
    }

    /** Counts a refusal decided elsewhere (a drain) and returns {@code reason}. */
    public Reason refuse(Reason reason) {
        rejected[reason.ordinal()].increment();
        return reason;
    }

    /** Why new upgrades would be refused now for capacity, or null when there is room. */
    public Reason fullReason() {
        if (slots.get() >= maxCalls) {
            return Reason.MAX_CALLS;
        }
        return cpuOver() ? Reason.CPU : null;
    }

    /**
     * Free capacity in percent for a load balancer's weight: the smaller of the free call slots and
     * the CPU headroom under the limit; at least 1 while not full (a weight of 0 takes a server
     * out of rotation), 0 when full.
     */
    public int freePercent() {
        if (fullReason() != null) {
            return 0;
        }
        double free = 1.0 - (double) slots.get() / maxCalls;
        if (maxCpuRatio > 0) {
            free = Math.min(free, 1.0 - cpu.recentLoad() / maxCpuRatio);
        }
        return (int) Math.max(1, Math.min(100, Math.floor(free * 100)));
    }

    private boolean cpuOver() {
        return maxCpuRatio > 0 && cpu.recentLoad() > maxCpuRatio;
    }

    /** Slots held now: admitted sockets not yet closed. */
    public int slotsInUse() {
        return slots.get();
    }

    public int maxCalls() {
        return maxCalls;
    }

    /** The CPU limit as a fraction of the usable cores; 0 when there is none. */
    public double maxCpuRatio() {
        return maxCpuRatio;
    }

    public double cpuLoad() {
        return cpu.recentLoad();
    }

    /** Upgrades refused for {@code reason} since start. */
    public long rejected(Reason reason) {
        return rejected[reason.ordinal()].sum();
    }
}
