package dev.relay.codec.jitter;

import dev.relay.codec.rtp.RtpHeader;
import java.util.Objects;

/**
 * Per-call RTP reorder buffer (SPEC §4.4): emits payloads in sequence order with no added
 * latency while nothing is missing, holds later packets while a gap may still fill, and
 * replaces a gap declared lost with concealment whose length comes from RTP timestamps.
 *
 * <h2>Rules</h2>
 * Sequence numbers are compared with 16-bit serial arithmetic; {@code d} is the distance of a
 * packet from the next expected sequence {@code E}.
 * <ul>
 *   <li>{@code d == 0}: emitted at once, followed by any held packets now in order.
 *   <li>{@code 0 < d <= windowFrames}: held (payload copied into a preallocated slot).
 *   <li>{@code d > windowFrames}: the packet lies beyond the window, so the earliest gap is
 *       declared lost (concealed up to the first held packet, which is emitted with the held run
 *       after it), repeatedly, until the packet fits the window or is next in order. The window
 *       thus bounds both the held count and the reorder depth to {@code windowFrames}.
 *   <li>A gap is also declared lost when any held packet has waited {@code maxWaitNs} or more;
 *       checked at the start of every {@link #push} and in {@link #poll}.
 *   <li>{@code d < 0}: dropped as {@link PushResult#DUPLICATE} if it was emitted among the last
 *       64 sequence numbers, otherwise {@link PushResult#LATE} (its slot was concealed, or it is
 *       too old to tell).
 *   <li>The first packet starts the stream. An SSRC change, {@code |d| > maxSeqJump}, or a
 *       timestamp more than {@code maxTsJumpTicks} from the last emitted one (either
 *       direction) resets: held packets are flushed in order with their gaps concealed as by
 *       {@link #flush()}, then the stream restarts from this packet, which is emitted.
 * </ul>
 *
 * <h2>Concealment length</h2>
 * A gap ends at a known packet with timestamp {@code tsEnd}; it starts at the expected timestamp
 * {@code lastTs + frameTicks}, where {@code frameTicks} is the timestamp step between the two
 * most recent packets emitted with consecutive sequence numbers. When no such step is known yet,
 * or it does not fit the gap, the span {@code tsEnd - lastTs} is divided evenly over the
 * emitted packet and the missing ones. The buffer conceals missing <em>sequence numbers</em>
 * only; a timestamp jump with consecutive sequences (silence suppression) is passed on as is and
 * is visible in {@code rtpTimestamp}.
 *
 * <p>Not thread-safe: one instance per call, driven from the call's thread. Time is only what
 * the caller passes in ({@code nowNs}, any monotonic origin). No allocation after construction.
 */
public final class JitterBuffer {
    /** Default for {@code maxSeqJump}: a jump of more than this many sequence numbers resets. */
    public static final int DEFAULT_MAX_SEQ_JUMP = 1000;
    /** Default for {@code maxTsJumpTicks}: 10 s at 8 kHz. */
    public static final int DEFAULT_MAX_TS_JUMP_TICKS = 80_000;
    /** Largest accepted {@code windowFrames}; the slot ring is the next power of two above it. */
    public static final int MAX_WINDOW_FRAMES = 512;

    private static final int SEQ_MASK = 0xFFFF;
    private static final long TS_MASK = 0xFFFF_FFFFL;
    private static final int HISTORY_BITS = Long.SIZE;

    private final int windowFrames;
    private final long maxWaitNs;
    private final int maxPayloadBytes;
    private final int maxSeqJump;
    private final int maxTsJumpTicks;
    private final JitterOutput out;
    private final PacketRing ring;
    private final JitterStats stats = new JitterStats();

    private boolean started;
    private long ssrc;
    /** Next sequence to emit; {@code nextSeq - 1} is always the last emitted packet at rest. */
    private int nextSeq;
    /** Highest sequence accepted in this stream, to tell reordered arrivals. */
    private int highestSeq;
    private long lastTs;
    private long frameTicks;
    /** True between a conceal and the emit that ends it: no frame step may be learnt there. */
    private boolean afterGap;
    /** Bit i set: sequence {@code nextSeq - 1 - i} was emitted (not concealed). */
    private long emittedHistory;

    /**
     * A buffer with the default jump thresholds ({@link #DEFAULT_MAX_SEQ_JUMP},
     * {@link #DEFAULT_MAX_TS_JUMP_TICKS}).
     *
     * @param windowFrames packets that may be held beyond a gap, 1..{@link #MAX_WINDOW_FRAMES}
     * @param maxWaitNs longest a held packet waits for a gap before it is declared lost, &gt; 0
     * @param maxPayloadBytes largest payload accepted (slots are preallocated at this size)
     * @param out receives the call's media in order
     */
    public JitterBuffer(int windowFrames, long maxWaitNs, int maxPayloadBytes, JitterOutput out) {
        this(windowFrames, maxWaitNs, maxPayloadBytes, DEFAULT_MAX_SEQ_JUMP, DEFAULT_MAX_TS_JUMP_TICKS, out);
    }

    /**
     * A buffer with explicit jump thresholds.
     *
     * @param maxSeqJump sequence distance beyond which the stream resets, windowFrames..32767
     * @param maxTsJumpTicks timestamp distance (timestamp units) beyond which the stream resets
     */
    public JitterBuffer(int windowFrames, long maxWaitNs, int maxPayloadBytes, int maxSeqJump,
            int maxTsJumpTicks, JitterOutput out) {
        if (windowFrames < 1 || windowFrames > MAX_WINDOW_FRAMES) {
            throw new IllegalArgumentException("windowFrames must be 1.." + MAX_WINDOW_FRAMES + ": " + windowFrames);
        }
        if (maxWaitNs <= 0) {
            throw new IllegalArgumentException("maxWaitNs must be > 0: " + maxWaitNs);
        }
        if (maxPayloadBytes < 1) {
            throw new IllegalArgumentException("maxPayloadBytes must be >= 1: " + maxPayloadBytes);
        }
        if (maxSeqJump < windowFrames || maxSeqJump > Short.MAX_VALUE) {
            throw new IllegalArgumentException("maxSeqJump must be windowFrames..32767: " + maxSeqJump);
        }
        if (maxTsJumpTicks < 1) {
            throw new IllegalArgumentException("maxTsJumpTicks must be >= 1: " + maxTsJumpTicks);
        }
        this.windowFrames = windowFrames;
        this.maxWaitNs = maxWaitNs;
        this.maxPayloadBytes = maxPayloadBytes;
        this.maxSeqJump = maxSeqJump;
        this.maxTsJumpTicks = maxTsJumpTicks;
        this.out = Objects.requireNonNull(out, "out");
        this.ring = new PacketRing(Integer.highestOneBit(windowFrames) << 1, maxPayloadBytes);
    }

    /**
     * Offers one packet. Emissions it causes (this packet, released held packets, concealment)
     * happen before it returns. The packet's bytes are copied if held, so the caller may reuse
     * its buffer as soon as this returns.
     *
     * @param rtp a flyweight whose last {@code wrap} returned {@code NONE}
     * @param nowNs the caller's clock, nanoseconds
     * @throws IllegalArgumentException if {@code rtp} is not validly wrapped
     */
    public PushResult push(RtpHeader rtp, long nowNs) {
        if (!rtp.isValid()) {
            throw new IllegalArgumentException("RtpHeader is not validly wrapped");
        }
        stats.received++;
        if (rtp.payloadLength() > maxPayloadBytes) {
            stats.oversized++;
            return PushResult.OVERSIZED;
        }
        final int seq = rtp.sequence();
        if (!started) {
            start(rtp, seq);
            return PushResult.EMITTED;
        }
        releaseExpired(nowNs);
        final int distance = (short) (seq - nextSeq);
        final long tsDistance = (int) (rtp.timestamp() - lastTs);
        if (rtp.ssrc() != ssrc || Math.abs(distance) > maxSeqJump || Math.abs(tsDistance) > maxTsJumpTicks) {
            flush();
            stats.resets++;
            start(rtp, seq);
            return PushResult.RESET;
        }
        if (distance < 0) {
            final int age = -distance - 1;
            if (age < HISTORY_BITS && (emittedHistory >>> age & 1L) != 0) {
                stats.duplicates++;
                return PushResult.DUPLICATE;
            }
            stats.late++;
            return PushResult.LATE;
        }
        if (distance > 0 && ring.holds(seq)) {
            stats.duplicates++;
            return PushResult.DUPLICATE;
        }
        if ((short) (seq - highestSeq) < 0) {
            stats.reordered++;
        } else {
            highestSeq = seq;
        }
        while ((short) (seq - nextSeq) > windowFrames) {
            if (ring.count() == 0) {
                conceal((seq - nextSeq) & SEQ_MASK, rtp.timestamp());
            } else {
                releaseFrontGap();
            }
        }
        if (seq == nextSeq) {
            emit(rtp, seq);
            drainHeld();
            return PushResult.EMITTED;
        }
        ring.put(rtp, seq, nowNs);
        return PushResult.HELD;
    }

    /**
     * Declares lost every gap in front of a packet that has waited {@code maxWaitNs} or more,
     * emitting concealment and the released packets. Call it on a timer (e.g. every frame
     * period) so a stalled stream still drains.
     */
    public void poll(long nowNs) {
        releaseExpired(nowNs);
    }

    /**
     * Emits everything held, in order, concealing the gaps in front of held packets. For the end
     * of a call; the stream may continue afterwards from the next sequence.
     */
    public void flush() {
        while (ring.count() > 0) {
            releaseFrontGap();
        }
    }

    /**
     * Emits everything held, as {@link #flush()}, and forgets the stream: the next packet starts a
     * new one whatever its SSRC, sequence number and timestamp. For a sender that restarts on
     * purpose (a caller back on a new connection, numbering from scratch), whose first packets
     * would otherwise be dropped as late or taken for a jump of the old stream.
     */
    public void restart() {
        flush();
        started = false;
    }

    /** This buffer's counters (the same instance every time). */
    public JitterStats stats() {
        return stats;
    }

    /** Packets currently held. */
    public int held() {
        return ring.count();
    }

    /** Slots in the preallocated ring (a power of two greater than {@code windowFrames}). */
    public int capacity() {
        return ring.capacity();
    }

    private void start(RtpHeader rtp, int seq) {
        started = true;
        ssrc = rtp.ssrc();
        highestSeq = seq;
        nextSeq = seq;
        frameTicks = 0;
        emittedHistory = 0;
        afterGap = true;
        emit(rtp, seq);
    }

    private void releaseExpired(long nowNs) {
        while (ring.anyWaitedAtLeast(nowNs, maxWaitNs)) {
            releaseFrontGap();
        }
    }

    /** Conceals the missing run in front of the first held packet, then emits the held run. */
    private void releaseFrontGap() {
        int missing = 1;
        while (!ring.holds((nextSeq + missing) & SEQ_MASK)) {
            missing++;
        }
        conceal(missing, ring.timestamp((nextSeq + missing) & SEQ_MASK));
        drainHeld();
    }

    private void drainHeld() {
        final PacketRing held = ring;
        while (held.count() > 0 && held.holds(nextSeq)) {
            final int seq = nextSeq;
            held.remove(seq);
            // The slot stays intact until the next put, which cannot happen during emit.
            emit(seq, held.payloadType(seq), held.timestamp(seq), held.marker(seq), held.payload(seq), 0,
                    held.length(seq));
        }
    }

    /**
     * Declares {@code missing} sequences from {@code nextSeq} lost, ending where the packet with
     * timestamp {@code endTs} begins; that packet must be emitted next.
     */
    private void conceal(int missing, long endTs) {
        final long span = (int) (endTs - lastTs);
        final long step = frameTicks > 0 && frameTicks < span ? frameTicks : span / (missing + 1);
        nextSeq = (nextSeq + missing) & SEQ_MASK;
        emittedHistory = missing >= HISTORY_BITS ? 0 : emittedHistory << missing;
        afterGap = true;
        stats.lostPackets += missing;
        if (span <= 0 || step <= 0) {
            return; // timestamps do not advance over the gap: nothing sensible to fill
        }
        final int samples = (int) (span - step);
        stats.concealedGaps++;
        stats.concealedSamples += samples;
        out.onConceal((lastTs + step) & TS_MASK, samples);
    }

    private void emit(RtpHeader rtp, int seq) {
        emit(seq, rtp.payloadType(), rtp.timestamp(), rtp.marker(), rtp.buffer(), rtp.payloadOffset(),
                rtp.payloadLength());
    }

    private void emit(int seq, int payloadType, long ts, boolean marker, byte[] payload, int offset, int length) {
        if (!afterGap) {
            final long step = (ts - lastTs) & TS_MASK;
            if (step > 0 && step <= maxTsJumpTicks) {
                frameTicks = step;
            }
        }
        afterGap = false;
        lastTs = ts;
        nextSeq = (seq + 1) & SEQ_MASK;
        emittedHistory = emittedHistory << 1 | 1L;
        stats.emitted++;
        out.onPayload(payloadType, ts, marker, payload, offset, length);
    }
}
