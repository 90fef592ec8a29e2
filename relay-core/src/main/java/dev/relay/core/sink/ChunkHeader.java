package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;

/**
 * The fixed header at the start of every queued chunk, written by the media thread and read by
 * the sink's IO loop: where the chunk starts in the call's 16 kHz timeline, how many 20 ms
 * frames (pipeline frames, of whatever length) it holds, and the arrival time of its newest frame.
 * Audio bytes follow it.
 */
public final class ChunkHeader {
    static final int START_SAMPLE = 0;
    static final int ARRIVAL_NANOS = 8;
    static final int FRAMES = 16;
    static final int SAMPLES = 20;
    /** Header size in bytes; the audio starts here. */
    public static final int LENGTH = 24;

    private ChunkHeader() {}

    /** Reserves the header at the writer index of an empty chunk. */
    static void reserve(ByteBuf chunk, long startSample16k) {
        chunk.writeLong(startSample16k).writeLong(0).writeInt(0).writeInt(0);
    }

    /** Counts one more frame of {@code samples16k} samples that arrived at {@code arrivalNanos}. */
    static void addFrame(ByteBuf chunk, int samples16k, long arrivalNanos) {
        int base = chunk.readerIndex();
        chunk.setLong(base + ARRIVAL_NANOS, arrivalNanos);
        chunk.setInt(base + FRAMES, chunk.getInt(base + FRAMES) + 1);
        chunk.setInt(base + SAMPLES, chunk.getInt(base + SAMPLES) + samples16k);
    }

    public static long startSample16k(ByteBuf chunk) {
        return chunk.getLong(chunk.readerIndex() + START_SAMPLE);
    }

    public static long arrivalNanos(ByteBuf chunk) {
        return chunk.getLong(chunk.readerIndex() + ARRIVAL_NANOS);
    }

    public static int frames(ByteBuf chunk) {
        return chunk.getInt(chunk.readerIndex() + FRAMES);
    }

    /** Samples the chunk covers at 16 kHz, whatever its wire format. */
    public static int samples16k(ByteBuf chunk) {
        return chunk.getInt(chunk.readerIndex() + SAMPLES);
    }
}
