package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;
import org.jctools.queues.SpmcArrayQueue;

/**
 * A sink's bounded queue of audio chunks between the call's media thread (the only producer) and
 * the sink's IO loop. When full, the producer drops the <em>oldest</em> chunk to make room, so a
 * stalled destination costs a bounded amount of memory and the audio that does get through is the
 * most recent. Lock-free: a single-producer, multi-consumer array queue where the producer is also
 * the second consumer, for the drops.
 *
 * <p>Each chunk carries a small header (see {@link ChunkHeader}) so the consumer knows where in
 * the call's timeline it starts, how many frames it holds and when its newest frame arrived.
 */
public final class ChunkQueue {
    private final SpmcArrayQueue<ByteBuf> queue;
    private final int capacity;

    /** @param capacity chunks held before the oldest is dropped (at least 2) */
    public ChunkQueue(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
        this.queue = new SpmcArrayQueue<>(capacity);
    }

    /**
     * Adds {@code chunk} (the queue takes ownership); producer thread only. Returns the number of
     * frames dropped to make room, 0 in the usual case.
     */
    public int offer(ByteBuf chunk) {
        int dropped = 0;
        while (queue.size() >= capacity || !queue.offer(chunk)) {
            ByteBuf oldest = queue.poll();
            if (oldest != null) {
                dropped += ChunkHeader.frames(oldest);
                oldest.release();
            }
        }
        return dropped;
    }

    /** The oldest chunk, now owned by the caller, or null when empty. */
    public ByteBuf poll() {
        return queue.poll();
    }

    /** Chunks waiting now (approximate under concurrency). */
    public int size() {
        return queue.size();
    }

    public int capacity() {
        return capacity;
    }

    /** Releases every waiting chunk; returns the frames they held. */
    public int clear() {
        int frames = 0;
        for (ByteBuf b; (b = queue.poll()) != null; ) {
            frames += ChunkHeader.frames(b);
            b.release();
        }
        return frames;
    }
}
