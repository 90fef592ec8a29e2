package dev.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

/**
 * One simulated Alohaa call: its identity (call id, SSRC, sequence start near the 16-bit wrap),
 * its fixed 20 ms schedule, and what happened to it. Frame {@code k} is intended for
 * {@code startNanos + k × 20 ms} whatever the relay does (open loop); the pacer of the call's
 * event loop sends it when that time comes, and the sinks' arrivals are measured from it.
 *
 * <p>The schedule and send side are touched only by the call's event loop; the per-sink positions
 * ({@link #sinkSamples}) only by the fake sink connection of that call; counters are read by the
 * reporting thread once the run is over (or racily for the progress line).
 */
final class SimCall {
    static final long FRAME_NANOS = 20_000_000L;
    /** Frames at each end of a call that impairments leave alone (the relay's timeline starts at the first). */
    static final int PROTECTED_FRAMES = 5;

    enum State {
        IDLE,
        CONNECTING,
        REGISTERING,
        STREAMING,
        DONE,
        FAILED
    }

    final int index;
    final String callId;
    final byte[] mediaPrefix;
    final long ssrc;
    final int seqStart;
    final long tsStart;
    final LoadOptions.Form form;
    final long phaseNanos;
    final long[] sinkSamples;
    final long[] sinkFrames;
    /**
     * Per sink: samples of the call's timeline that sink never got (a fault cut them), known when
     * the sink's wire carries timestamps; positions after the gap are shifted by it.
     */
    final long[] sinkGapSamples;
    /**
     * Per sink: connections the fake has seen for this call (on a wire without a timeline, after
     * the first reconnect the positions of later audio are no longer known).
     */
    final int[] sinkConnections;
    private final double lossFraction;
    private final double reorderFraction;
    private long random;

    Channel channel;
    volatile State state = State.IDLE;
    volatile String failure;
    long connectStartNanos;
    long activeNanos;
    long tlsDoneNanos;
    long registerSentNanos;

    long startNanos = -1;
    private volatile long nextFrame;
    private long endFrame = Long.MAX_VALUE;
    private long epochMsAtStart;
    private long heldFrame = -1;

    volatile long framesSent;
    volatile long framesDropped;
    volatile long framesReordered;
    volatile long framesBlocked;
    volatile long botMessages;
    volatile long botBytes;
    /** When audio back was last asked for through the control API (0: nothing pending). */
    volatile long playPostedNanos;

    SimCall(int index, String callId, long seed, LoadOptions.Form form, long phaseNanos, int sinks,
            double lossPercent, double reorderPercent) {
        this.index = index;
        this.callId = callId;
        this.mediaPrefix = MediaMessages.mediaPrefix(callId);
        this.random = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1;
        this.ssrc = nextRandom() & 0xFFFF_FFFFL;
        // Sequence numbers start within 200 of the wrap, so every call crosses 65535 → 0 early.
        this.seqStart = 65_535 - (int) ((nextRandom() >>> 1) % 200);
        this.tsStart = nextRandom() & 0xFFFF_FFFFL;
        this.form = form == LoadOptions.Form.MIX ? LoadOptions.Form.values()[index % 3] : form;
        this.phaseNanos = phaseNanos;
        this.sinkSamples = new long[sinks];
        this.sinkFrames = new long[sinks];
        this.sinkGapSamples = new long[sinks];
        this.sinkConnections = new int[sinks];
        this.lossFraction = lossPercent / 100;
        this.reorderFraction = reorderPercent / 100;
    }

    /** When frame {@code k} was meant to be sent, in {@link System#nanoTime()}. */
    long intendedNanos(long k) {
        return startNanos + k * FRAME_NANOS;
    }

    /** Slots the schedule has passed (frames sent, dropped on purpose or held for reordering). */
    long framesScheduled() {
        return nextFrame;
    }

    /** Frames the call stands for in the relay's timeline, once it is over. */
    long framesPlanned() {
        return endFrame == Long.MAX_VALUE ? nextFrame : endFrame;
    }

    /**
     * The call was acknowledged at {@code nowNanos}: its first frame goes in the first slot of its
     * phase (relative to {@code epochNanos}) at least {@code marginNanos} later, its last before
     * {@code endNanos}.
     */
    void schedule(long epochNanos, long nowNanos, long marginNanos, long endNanos) {
        long first = epochNanos + phaseNanos;
        long earliest = nowNanos + marginNanos;
        if (first < earliest) {
            first += (earliest - first + FRAME_NANOS - 1) / FRAME_NANOS * FRAME_NANOS;
        }
        startNanos = first;
        endFrame = Math.max(PROTECTED_FRAMES * 2L, (endNanos - first + FRAME_NANOS - 1) / FRAME_NANOS);
        epochMsAtStart = System.currentTimeMillis() + (first - System.nanoTime()) / 1_000_000;
        state = State.STREAMING;
    }

    /** Intended time of the next frame, or -1 when the call has sent its last. */
    long nextDueNanos() {
        return nextFrame < endFrame ? intendedNanos(nextFrame) : -1;
    }

    /**
     * Sends every frame due at {@code nowNanos} (usually one) and returns whether anything was
     * written. After the last frame the call closes its socket with 1000.
     */
    boolean sendDue(long nowNanos, FrameWriter writer, LatencyMetric lag) {
        boolean wrote = false;
        while (nextFrame < endFrame) {
            long k = nextFrame;
            long intended = intendedNanos(k);
            if (intended > nowNanos) {
                break;
            }
            lag.record(nowNanos - intended);
            wrote |= slot(k, writer);
            nextFrame = k + 1;
        }
        if (wrote) {
            channel.flush();
        }
        if (nextFrame >= endFrame && state == State.STREAMING) {
            state = State.DONE;
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "call ended"));
        }
        return wrote;
    }

    private boolean slot(long k, FrameWriter writer) {
        if (heldFrame >= 0) {
            // The held frame goes right after its successor: the relay sees k, k-1.
            boolean a = send(k, writer);
            boolean b = send(heldFrame, writer);
            heldFrame = -1;
            framesReordered++;
            return a | b;
        }
        if ((lossFraction > 0 || reorderFraction > 0) && k >= PROTECTED_FRAMES && k < endFrame - PROTECTED_FRAMES) {
            double r = (nextRandom() >>> 11) * 0x1.0p-53;
            if (r < lossFraction) {
                framesDropped++;
                return false;
            }
            if (r < lossFraction + reorderFraction) {
                heldFrame = k;
                return false;
            }
        }
        return send(k, writer);
    }

    private boolean send(long k, FrameWriter writer) {
        if (!channel.isWritable()) {
            // The relay is not reading fast enough: an open-loop sender does not wait, it loses.
            framesBlocked++;
            return false;
        }
        int clipFrame = (int) (k % writer.clipFrames());
        ByteBuf frame = writer.write(channel.alloc(), mediaPrefix, form, clipFrame, (int) ((seqStart + k) & 0xFFFF),
                (tsStart + 160 * k) & 0xFFFF_FFFFL, ssrc, k == 0, epochMsAtStart + 20 * k);
        channel.write(frame, channel.voidPromise());
        framesSent++;
        return true;
    }

    void fail(String why) {
        if (state != State.DONE && state != State.FAILED) {
            failure = why;
            state = State.FAILED;
        }
    }

    private long nextRandom() {
        // SplitMix64: cheap, allocation-free, reproducible from --seed.
        long z = (random += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
