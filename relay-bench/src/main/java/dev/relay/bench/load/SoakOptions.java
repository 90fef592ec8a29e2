package dev.relay.bench.load;

import java.util.Locale;

/**
 * The fault soak's settings ({@code scripts/loadtest --soak 60m --faults}): how long, and the fault
 * schedule the fakes follow. The production schedule (issue 13) kills every aiOla connection every
 * 5 min, stalls session-stream for 30 s every 7 min, and refuses reconnects for 10 s after each
 * fault; {@code --fault-scale F} divides every one of those times by F, so a short run sees every
 * fault (F = 10: a kill every 30 s, a 3 s stall every 42 s, 1 s of refusal). The explicit options
 * set one time each, after the scale. All times in milliseconds. Not thread-safe (parsed once).
 */
public final class SoakOptions {
    /** Calls when {@code --soak} is given and {@code --calls} is not. */
    static final int DEFAULT_CALLS = 300;
    /** Progress lines during a soak when {@code --progress} is not given. */
    static final long DEFAULT_PROGRESS_MS = 60_000;
    /**
     * Calls set up per second when {@code --soak} is given and {@code --ramp} is not: every call
     * of a soak is TLS, and 300 handshakes in the ordinary 0.6 s left 30 of them unfinished on a
     * 2-core machine; 20 a second brought all 300 up.
     */
    static final double DEFAULT_RAMP_PER_SECOND = 20;

    /** {@code --soak D}: a soak of this length (0: an ordinary run). */
    public long soakMs;
    /** {@code --faults}: the fakes follow the fault schedule. */
    public boolean faults;
    /** {@code --fault-scale F}: every scheduled time divided by F. */
    public double faultScale = 1;
    private long killAiolaEveryMs = -1;
    private long stallEveryMs = -1;
    private long stallForMs = -1;
    private long refuseForMs = -1;
    /**
     * {@code --fault-recovery D}: after a fault's refusal ends, how long the affected sink's arrivals
     * still count as inside the fault window (reconnect backoff plus the queue's replay). Not scaled:
     * the relay's backoff does not shrink with the schedule.
     */
    public long recoveryMs = 15_000;

    /** Parses a soak option; false when {@code name} is not one. */
    boolean set(String name, String v) {
        switch (name) {
            case "--soak" -> soakMs = LoadOptions.millis(name, v);
            case "--fault-scale" -> {
                try {
                    faultScale = Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    faultScale = -1;
                }
                if (!(faultScale >= 1)) {
                    throw new LoadOptions.BadArgument(name + ": a number of at least 1, got '" + v + "'");
                }
            }
            case "--kill-aiola-every" -> killAiolaEveryMs = LoadOptions.millis(name, v);
            case "--stall-every" -> stallEveryMs = LoadOptions.millis(name, v);
            case "--stall-for" -> stallForMs = LoadOptions.millis(name, v);
            case "--refuse-for" -> refuseForMs = LoadOptions.millis(name, v);
            case "--fault-recovery" -> recoveryMs = LoadOptions.millis(name, v);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Every 5 min / scale, or {@code --kill-aiola-every}. */
    public long killAiolaEveryMs() {
        return killAiolaEveryMs >= 0 ? killAiolaEveryMs : scaled(300_000);
    }

    /** Every 7 min / scale, or {@code --stall-every}. */
    public long stallEveryMs() {
        return stallEveryMs >= 0 ? stallEveryMs : scaled(420_000);
    }

    /** 30 s / scale, or {@code --stall-for}. */
    public long stallForMs() {
        return stallForMs >= 0 ? stallForMs : scaled(30_000);
    }

    /** 10 s / scale, or {@code --refuse-for}. */
    public long refuseForMs() {
        return refuseForMs >= 0 ? refuseForMs : scaled(10_000);
    }

    private long scaled(long ms) {
        return Math.round(ms / faultScale);
    }

    /** The schedule in one line, for the report. */
    String describe() {
        if (!faults) {
            return "no faults";
        }
        return String.format(Locale.ROOT, "aiOla killed every %s, session-stream stalled %s every %s, reconnects "
                + "refused %s after each (scale %.3g), recovery %s", Report.seconds(killAiolaEveryMs()),
                Report.seconds(stallForMs()), Report.seconds(stallEveryMs()), Report.seconds(refuseForMs()), faultScale,
                Report.seconds(recoveryMs));
    }

    /** Checks the schedule against the run's sinks and length. */
    void validate(LoadOptions o) {
        if (faults && soakMs <= 0) {
            throw new LoadOptions.BadArgument("--faults needs --soak D");
        }
        if (faults && (killAiolaEveryMs() <= 0 || stallEveryMs() <= stallForMs() + refuseForMs())) {
            throw new LoadOptions.BadArgument("--faults: each fault must end before the next one begins (stall "
                    + Report.seconds(stallForMs()) + " + refusal " + Report.seconds(refuseForMs()) + " within every "
                    + Report.seconds(stallEveryMs()) + ")");
        }
        // The fakes are this process's: an external relay's sinks could not be cut by them.
        if (soakMs > 0 && (o.placement == LoadOptions.Placement.TARGET || o.capacity || o.floor || o.compareFloor)) {
            throw new LoadOptions.BadArgument("--soak drives a relay it starts: not with --target, --capacity or the"
                    + " floor");
        }
    }
}
