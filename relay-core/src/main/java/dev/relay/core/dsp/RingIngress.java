package dev.relay.core.dsp;

import dev.relay.codec.g711.G711;
import dev.relay.core.call.CallPipeline;
import dev.relay.core.call.MediaIngress;
import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.LoggerFactory;

/**
 * {@code relay.dsp.mode = dedicated}: the call's IO loop writes each payload into an off-heap
 * single-producer ring; the call's DSP thread drains it in batches and runs the pipeline.
 *
 * <p>Record layout: {@code [arrivalNanos:8][sampleRateHz:4][payload…]}, type id = payload kind.
 * A full ring drops the new packet and counts it (the DSP thread fell behind; blocking the IO loop
 * would stall every call on it).
 *
 * <p>A takeover by a new socket ({@link #resume}) marks the first record that socket writes
 * ({@link #RESUMED} in its type id), so the DSP thread restarts the stream exactly between the old
 * socket's media and the new one's, and a full ring cannot lose the mark. The ring stays
 * single-producer: the old socket's loop has stopped writing before the new one starts, and the
 * tasks that hand the call over between them order the two.
 */
public final class RingIngress implements MediaIngress, MessageHandler {
    static final int RTP = 1;
    static final int ULAW = 2;
    static final int ALAW = 3;
    static final int PCM16_LE = 4;
    static final int PCM16_BE = 5;
    /** Type-id flag: the stream restarts (a new socket) before this record. */
    static final int RESUMED = 0x100;
    private static final int HEADER = 12;

    private final CallPipeline pipeline;
    private final Runnable onRingFull;
    private final ByteBuffer memory;
    private final RingBuffer ring;
    private final byte[] scratch;
    private final int maxChunk;
    private volatile String closeReason;
    private volatile Runnable onFinished;
    private volatile Runnable onFailure = () -> { };
    private boolean started;
    /** IO loop: the next record written carries {@link #RESUMED}. */
    private boolean resumeNext;

    /**
     * @param ringBytes ring capacity, a power of two
     * @param maxPayloadBytes largest payload a record may carry
     * @param onRingFull counts a drop; runs on the IO loop
     */
    public RingIngress(CallPipeline pipeline, int ringBytes, int maxPayloadBytes, Runnable onRingFull) {
        this.pipeline = pipeline;
        this.onRingFull = onRingFull;
        this.memory = ByteBuffer.allocateDirect(ringBytes + RingBufferDescriptor.TRAILER_LENGTH);
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(memory));
        this.scratch = new byte[Math.max(maxPayloadBytes, maxChunk(ringBytes))];
        this.maxChunk = maxChunk(ringBytes);
    }

    /** Agrona caps a record at an eighth of the ring; longer PCM/G.711 payloads are split. */
    private static int maxChunk(int ringBytes) {
        return (ringBytes / 8 - HEADER - 64) & ~1;
    }

    @Override
    public void rtp(byte[] packet, int offset, int length, long arrivalNanos) {
        if (length > maxChunk) {
            onRingFull.run();
            return;
        }
        write(RTP, packet, offset, length, 0, arrivalNanos);
    }

    @Override
    public void g711(G711 law, byte[] payload, int offset, int length, long arrivalNanos) {
        writeSplit(law == G711.A_LAW ? ALAW : ULAW, payload, offset, length, 0, arrivalNanos);
    }

    @Override
    public void pcm16(byte[] bytes, int offset, int length, boolean bigEndian, int sampleRateHz, long arrivalNanos) {
        writeSplit(bigEndian ? PCM16_BE : PCM16_LE, bytes, offset, length, sampleRateHz, arrivalNanos);
    }

    private void writeSplit(int type, byte[] src, int offset, int length, int rate, long arrivalNanos) {
        for (int done = 0; done < length; done += maxChunk) {
            write(type, src, offset + done, Math.min(maxChunk, length - done), rate, arrivalNanos);
        }
    }

    @Override
    public void resume() {
        resumeNext = true;
    }

    @Override
    public void close(String reason, Runnable onFinished) {
        if (closeReason == null) {
            this.onFinished = onFinished;
            closeReason = reason;
        }
    }

    private void write(int type, byte[] src, int offset, int length, int rate, long arrivalNanos) {
        int index = ring.tryClaim(resumeNext ? type | RESUMED : type, HEADER + length);
        if (index < 0) {
            onRingFull.run();
            return;
        }
        resumeNext = false;
        MutableDirectBuffer buffer = ring.buffer();
        buffer.putLong(index, arrivalNanos);
        buffer.putInt(index + 8, rate);
        buffer.putBytes(index + HEADER, src, offset, length);
        ring.commit(index);
    }

    @Override
    public void onFailure(Runnable action) {
        this.onFailure = action;
    }

    // ---- DSP thread from here on ----

    void failed() {
        onFailure.run();
    }

    /** Drains up to {@code limit} records; returns the work count. DSP thread only. */
    int drain(int limit) {
        if (!started) {
            started = true;
            pipeline.start();
        }
        return ring.read(this, limit);
    }

    /**
     * True once close was requested and everything written before it has been processed, including
     * a long silence fill still being paid out tick by tick.
     */
    boolean readyToFinish() {
        return closeReason != null && ring.size() == 0 && !pipeline.filling();
    }

    /** Finishes the pipeline and frees the ring. DSP thread (or the shutdown thread once DSP stopped). */
    void finish() {
        if (!started) {
            started = true;
            pipeline.start();
        }
        try {
            ring.read(this, Integer.MAX_VALUE);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RingIngress.class).warn("media lost while finishing a failed call", e);
        }
        String reason = closeReason == null ? "relay stopped" : closeReason;
        pipeline.finish(reason);
        BufferUtil.free(memory);
        Runnable done = onFinished;
        if (done != null) {
            done.run();
        }
    }

    void tick(long nowNanos) {
        pipeline.tick(nowNanos);
    }

    @Override
    public void onMessage(int msgTypeId, MutableDirectBuffer buffer, int index, int length) {
        long arrival = buffer.getLong(index);
        int payload = length - HEADER;
        buffer.getBytes(index + HEADER, scratch, 0, payload);
        if ((msgTypeId & RESUMED) != 0) {
            pipeline.resume();
        }
        switch (msgTypeId & ~RESUMED) {
            case RTP -> pipeline.onRtp(scratch, 0, payload, arrival);
            case ULAW -> pipeline.onG711(G711.MU_LAW, scratch, 0, payload, arrival);
            case ALAW -> pipeline.onG711(G711.A_LAW, scratch, 0, payload, arrival);
            case PCM16_LE, PCM16_BE ->
                    pipeline.onPcm16(scratch, 0, payload, msgTypeId == PCM16_BE, buffer.getInt(index + 8), arrival);
            default -> throw new IllegalStateException("unknown record type " + msgTypeId);
        }
    }
}
