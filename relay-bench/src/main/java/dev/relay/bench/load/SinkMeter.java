package dev.relay.bench.load;

import java.util.concurrent.atomic.LongAdder;

/**
 * Latency and counts at one fake sink. Audio is matched to frames by its position in the call's
 * 16 kHz timeline, never by markers in the audio: the relay's timeline has no holes (lost packets
 * arrive as concealed silence), so sample {@code s} of what a sink receives for a call belongs to
 * the RTP frame the generator sent {@code s / 320}-th. An arrival that completes frames
 * {@code a..b} records one value: arrival time minus frame {@code b}'s intended send time (with
 * chunking, the chunk's last frame; at 20 ms chunks, every frame).
 *
 * <p>{@link #onAudio} runs on the fake's event loop of that call's connection (one at a time per
 * call); the counters are thread-safe.
 */
final class SinkMeter {
    static final int SAMPLES_PER_FRAME_16K = 320;
    static final long SLOW_NANOS = 50_000_000L;
    static final int END_FRAMES = 10;

    private final String name;
    private final int index;
    private final LatencyMetric latency;
    private final LatencyMetric warmup;
    private final LatencyMetric faulted;
    private final LongAdder chunks = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder misaligned = new LongAdder();
    private final LongAdder unknownCalls = new LongAdder();
    private final LongAdder slowAtEnd = new LongAdder();
    private final LongAdder slowElsewhere = new LongAdder();
    private final LongAdder unplaced = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private volatile long measureFromNanos = Long.MAX_VALUE;
    private volatile long measureToNanos = Long.MAX_VALUE;
    /** A soak's fault windows, or null: arrivals they cover go to {@link #faulted}. */
    private volatile FaultWindows faults;

    SinkMeter(String name, int index) {
        this.name = name;
        this.index = index;
        this.latency = new LatencyMetric(name, "telephony send (intended) -> arrival at " + name);
        this.warmup = new LatencyMetric(name + "-ramps", name + " during ramp-up, warm-up and ramp-down");
        this.faulted = new LatencyMetric(name + "-faults", name + " inside the soak's fault windows");
    }

    String name() {
        return name;
    }

    int index() {
        return index;
    }

    LatencyMetric latency() {
        return latency;
    }

    LatencyMetric warmup() {
        return warmup;
    }

    /**
     * The fake accepted a connection of {@code call} for this sink. On a wire without a timeline
     * (aiOla's binary_data), audio after a reconnect cannot be placed if the outage dropped some,
     * so from the second connection on a call's arrivals are counted as {@link #unplaced()} and
     * not timed. Called on the fake's loop of that connection.
     */
    void connected(SimCall call) {
        call.sinkConnections[index]++;
    }

    /** Arrivals not timed because their position in the call was unknown (after a reconnect, no timeline). */
    long unplaced() {
        return unplaced.sum();
    }

    /** Frames that arrived again at a position already received (replays after a reconnect). */
    long duplicateFrames() {
        return duplicates.sum();
    }

    /** Arrivals inside a fault window of this sink: not in {@link #latency()} nor {@link #warmup()}. */
    LatencyMetric faulted() {
        return faulted;
    }

    /** From now on, arrivals {@code windows} covers for this sink go to {@link #faulted()}. */
    void faultWindows(FaultWindows windows) {
        faults = windows;
    }

    /** Frames intended outside [from, to) go to the ramp and warm-up histogram. */
    void measureWindow(long fromNanos, long toNanos) {
        measureFromNanos = fromNanos;
        measureToNanos = toNanos;
    }

    /**
     * {@code samples16k} samples of {@code call}'s timeline (in {@code wireBytes} bytes) arrived at
     * {@code arrivalNanos}.
     */
    void onAudio(SimCall call, int samples16k, int wireBytes, long arrivalNanos) {
        onAudio(call, -1, samples16k, wireBytes, arrivalNanos);
    }

    /**
     * As {@link #onAudio(SimCall, int, int, long)}, where the sink's wire also says where the audio
     * starts in the call's timeline ({@code positionSamples}, -1 when it does not): audio a fault cut
     * (lost in a dropped socket) then shifts what follows, and the position puts it back in place.
     * Audio placed before what already arrived is a duplicate (the relay replays what a lost
     * connection left unconfirmed): counted in {@link #duplicateFrames()}, not received again.
     */
    void onAudio(SimCall call, long positionSamples, int samples16k, int wireBytes, long arrivalNanos) {
        chunks.increment();
        bytes.add(wireBytes);
        long before = call.sinkSamples[index];
        if (positionSamples >= 0 && positionSamples < before + call.sinkGapSamples[index]) {
            duplicates.add(samples16k / SAMPLES_PER_FRAME_16K);
            return;
        }
        long total = before + samples16k;
        call.sinkSamples[index] = total;
        if (positionSamples - before > call.sinkGapSamples[index]) {
            call.sinkGapSamples[index] = positionSamples - before;
        }
        long done = total / SAMPLES_PER_FRAME_16K;
        if (done <= call.sinkFrames[index]) {
            return;
        }
        call.sinkFrames[index] = done;
        long last = (total + call.sinkGapSamples[index]) / SAMPLES_PER_FRAME_16K - 1;
        if (last >= call.framesScheduled()) {
            // More audio than the generator sent: the timeline and the frames disagree.
            misaligned.increment();
            return;
        }
        if (positionSamples < 0 && call.sinkConnections[index] > 1) {
            unplaced.increment();
            return;
        }
        long intended = call.intendedNanos(last);
        long nanos = arrivalNanos - intended;
        if (nanos < 0) {
            misaligned.increment();
            return;
        }
        FaultWindows f = faults;
        if (f != null && f.covers(index, intended, arrivalNanos)) {
            faulted.record(nanos);
            return;
        }
        (intended >= measureFromNanos && intended < measureToNanos ? latency : warmup).record(nanos);
        if (nanos > SLOW_NANOS) {
            // Where the tail comes from: a call's last frames (flushed at hang-up) or mid-call.
            (last >= call.framesPlanned() - END_FRAMES ? slowAtEnd : slowElsewhere).increment();
        }
    }

    /** Arrivals later than {@link #SLOW_NANOS} for a call's last {@link #END_FRAMES} frames. */
    long slowAtEnd() {
        return slowAtEnd.sum();
    }

    /** Arrivals later than {@link #SLOW_NANOS} anywhere else. */
    long slowElsewhere() {
        return slowElsewhere.sum();
    }

    /** Audio for a connection the generator could not match to a call. */
    void unknownCall() {
        unknownCalls.increment();
    }

    long chunks() {
        return chunks.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    /** Arrivals whose position did not fit the frames sent (should stay 0). */
    long misaligned() {
        return misaligned.sum();
    }

    long unknownCalls() {
        return unknownCalls.sum();
    }
}
