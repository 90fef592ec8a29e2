package dev.relay.bench.load;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time line of one run, in {@link System#nanoTime()}: calls connect from {@code epochNanos}
 * over the ramp; from {@code steadyNanos} all should be streaming; frames intended from
 * {@code measureFromNanos} (after the warm-up) to {@code endNanos} go into the latency
 * histograms; then the calls hang up over a ramp-down as long as the ramp-up, in the order they
 * came (call {@code i} at {@link #hangUpNanos(int)}), as real traffic does: a thousand calls
 * hanging up in the same 20 ms would queue each other's last frames behind their teardown. Also
 * the generator-side metrics every call records into.
 */
final class RunPlan {
    final long epochNanos;
    final long steadyNanos;
    final long measureFromNanos;
    final long endNanos;
    final long rampNanos;
    final int calls;
    /** A call's first frame is at least this long after its acknowledgement. */
    final long startMarginNanos = 2_000_000;

    final LatencyMetric connect = new LatencyMetric("connect", "TCP + TLS + WebSocket upgrade");
    final LatencyMetric tcp = new LatencyMetric("tcp-connect", "connect() -> TCP established");
    final LatencyMetric tls = new LatencyMetric("tls-handshake", "TCP established -> TLS handshake done");
    final LatencyMetric upgrade = new LatencyMetric("ws-upgrade", "TLS done (or TCP) -> WebSocket upgrade response");
    final LatencyMetric registration = new LatencyMetric("registration", "connected -> ack");
    final LatencyMetric lag = new LatencyMetric("schedule-lag", "actual - intended send time");

    /** Audio back to the callers ({@code --play-every}), or null. */
    volatile BotAudio botAudio;

    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    RunPlan(long epochNanos, long rampNanos, long warmupNanos, long durationNanos, int calls) {
        this.epochNanos = epochNanos;
        this.rampNanos = rampNanos;
        this.calls = calls;
        this.steadyNanos = epochNanos + rampNanos;
        this.measureFromNanos = steadyNanos + warmupNanos;
        this.endNanos = steadyNanos + durationNanos;
    }

    /** When call {@code index} sends its last frame and hangs up. */
    long hangUpNanos(int index) {
        return endNanos + (calls <= 1 ? 0 : rampNanos * index / calls);
    }

    /** When the last call hangs up. */
    long lastHangUpNanos() {
        return hangUpNanos(calls - 1);
    }

    /** A 10-digit number per call, as Alohaa sends the caller's. */
    String mobileNo(int index) {
        return Long.toString(7_000_000_000L + index);
    }

    void registered(SimCall call) {
        registered.incrementAndGet();
    }

    void closed(SimCall call) {
        closed.incrementAndGet();
    }

    int registeredCount() {
        return registered.get();
    }

    int closedCount() {
        return closed.get();
    }
}
