package dev.relay.bench.load;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The time line of one run, in {@link System#nanoTime()}: calls connect from {@code epochNanos}
 * over the ramp; from {@code steadyNanos} all should be streaming; frames intended from
 * {@code measureFromNanos} (after the warm-up) go into the latency histograms; the last frames
 * are intended before {@code endNanos}. Also the generator-side metrics every call records into.
 */
final class RunPlan {
    final long epochNanos;
    final long steadyNanos;
    final long measureFromNanos;
    final long endNanos;
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

    RunPlan(long epochNanos, long rampNanos, long warmupNanos, long durationNanos) {
        this.epochNanos = epochNanos;
        this.steadyNanos = epochNanos + rampNanos;
        this.measureFromNanos = steadyNanos + warmupNanos;
        this.endNanos = steadyNanos + durationNanos;
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
