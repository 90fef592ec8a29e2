package dev.relay.core.sink.recorder;

import dev.relay.core.config.RecorderConfig;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import java.nio.ByteBuffer;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Records one call to a WAV file. The media thread only copies sample bytes into this call's
 * off-heap ring; the shared {@link RecorderWriter} thread owns the file and does every blocking
 * write. When the disk falls so far behind that the ring is full, the <em>newest</em> frame is
 * dropped and counted, unlike the network sinks, which drop their oldest: a single-producer ring
 * cannot take back what its consumer may be reading, and for a recording which end is lost
 * matters less than never stalling the call (README, deviations). The ring's backlog is exported
 * as {@code relay_sink_queue_depth{sink="recorder"}}, like the other sinks' queues.
 */
final class RecorderSink implements Sink {
    static final int RECORD_TYPE = 1;

    private final RecorderConfig config;
    private final RecorderWriter writer;
    private final ByteBuffer memory;
    final OneToOneRingBuffer ring;
    CallContext call;
    volatile boolean closed;
    volatile String closeReason;
    volatile long framesIn;
    /** Frames pushed out by a full ring (the writer fell behind); part of framesDropped(). */
    volatile long framesOverflowed;
    /** Frames the writer could not write (disk error); written by the writer thread only. */
    volatile long framesLost;
    /** Frames the writer took from the ring, written or lost; written by the writer thread only. */
    volatile long framesDrained;
    volatile long bytesOut;

    RecorderSink(RecorderConfig config, RecorderWriter writer) {
        this.config = config;
        this.writer = writer;
        int bytesPer20Ms = config.format() == RecorderConfig.Format.PCM16 ? 640 : 160;
        long frames20Ms = config.queueDurationMs() / 20;
        int capacity = Integer.highestOneBit((int) Math.max(4096, frames20Ms * (bytesPer20Ms + 16)) * 2 - 1);
        this.memory = ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH);
        this.ring = new OneToOneRingBuffer(new UnsafeBuffer(memory));
    }

    @Override
    public String name() {
        return "recorder";
    }

    @Override
    public void open(CallContext call) {
        this.call = call;
        writer.add(this);
    }

    @Override
    public void onAudio(AudioSpan frame) {
        framesIn++;
        boolean pcm = config.format() == RecorderConfig.Format.PCM16;
        int bytes = pcm ? frame.samples16k() * 2 : frame.samples8k();
        int index = ring.tryClaim(RECORD_TYPE, bytes);
        if (index < 0) {
            framesOverflowed++;
            return;
        }
        byte[] wire = pcm ? frame.pcm16kLittleEndian() : frame.ulaw8k();
        ring.buffer().putBytes(index, wire, 0, bytes);
        ring.commit(index);
    }

    @Override
    public void close(String reason) {
        closeReason = reason;
        closed = true;
    }

    @Override
    public long framesDropped() {
        return framesOverflowed + framesLost;
    }

    @Override
    public int queueDepth() {
        long depth = framesIn - framesOverflowed - framesDrained;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, depth));
    }

    @Override
    public long framesIn() {
        return framesIn;
    }

    @Override
    public long bytesOut() {
        return bytesOut;
    }

    RecorderConfig config() {
        return config;
    }

    /** Frees the ring; writer thread, after the last drain. */
    void free() {
        BufferUtil.free(memory);
    }
}
