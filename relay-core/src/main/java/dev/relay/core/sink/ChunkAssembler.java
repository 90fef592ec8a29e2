package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jctools.queues.SpscArrayQueue;

/**
 * Builds one sink's chunks on the call's media thread: a {@link ChunkHeader}, then each frame in
 * the sink's {@link WireAudio} format, handed out once the chunk holds {@code chunkMs} of audio.
 *
 * <p>The IO loop keeps one empty chunk ready ({@link #refillSpare}). Chunks are released on the
 * loop after their socket write; taken on the loop too, the pooled buffer objects recycle on that
 * one thread instead of becoming garbage (Netty's recycler does not take them back across
 * threads). The media thread allocates itself only when the loop has fallen behind.
 *
 * <p>Threads: {@link #append} and {@link #takePartial} on the media thread; {@link #refillSpare}
 * and {@link #releaseSpare} on the IO loop; {@link #framesIn} anywhere.
 */
final class ChunkAssembler {
    private final WireAudio wire;
    private final ByteBufAllocator allocator;
    private final int chunkBytes;
    private final int chunkCapacity;
    private final SpscArrayQueue<ByteBuf> spare = new SpscArrayQueue<>(2);
    private ByteBuf building;
    private volatile long framesIn;

    ChunkAssembler(WireAudio wire, int chunkMs, ByteBufAllocator allocator) {
        this.wire = wire;
        this.allocator = allocator;
        this.chunkBytes = wire.bytesFor(chunkMs);
        this.chunkCapacity = ChunkHeader.LENGTH + chunkBytes + wire.maxFrameBytes();
    }

    /** Appends {@code frame}; returns the chunk it completed, or null while the chunk is not full. */
    ByteBuf append(AudioSpan frame) {
        framesIn++;
        ByteBuf chunk = building;
        if (chunk == null) {
            chunk = spare.poll();
            if (chunk == null) {
                chunk = allocator.directBuffer(chunkCapacity);
            }
            ChunkHeader.reserve(chunk, frame.startSample16k());
            building = chunk;
        }
        wire.append(frame, chunk);
        ChunkHeader.addFrame(chunk, frame.samples16k(), frame.arrivalNanos());
        if (chunk.readableBytes() - ChunkHeader.LENGTH < chunkBytes) {
            return null;
        }
        building = null;
        return chunk;
    }

    /** The chunk being built, shorter than {@code chunkMs}, or null if there is none. */
    ByteBuf takePartial() {
        ByteBuf chunk = building;
        building = null;
        return chunk;
    }

    /** Frames appended so far. */
    long framesIn() {
        return framesIn;
    }

    /** Allocates the next chunk ahead unless one is ready. */
    void refillSpare() {
        if (spare.isEmpty()) {
            spare.offer(allocator.directBuffer(chunkCapacity));
        }
    }

    /** Frees the chunk kept ahead; only once the media thread is done (after close). */
    void releaseSpare() {
        for (ByteBuf b; (b = spare.poll()) != null; ) {
            b.release();
        }
    }
}
