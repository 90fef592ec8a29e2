package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;

/**
 * One sink instance's backlog: the {@link ChunkQueue} between the call's media thread and the
 * sink's IO loop, the chunks written but not yet confirmed ({@link Confirmations}, replayed first
 * after a reconnect), and the count of every frame that left the queue, whichever way: sent, pushed
 * out of the full queue (overflowed) or cleared from it (discarded). Gaps and per-chunk latency are
 * recorded as chunks are first sent.
 *
 * <p>Threads: {@link #offer} on the media thread (the queue's only producer); {@link #drainTo} and
 * {@link #discard} on the IO loop (or, once that loop has terminated, on the thread that stops the
 * relay). Each counter has one writer; every getter may be read from any thread.
 */
final class SinkBacklog {
    /** Where drained chunks go: the subclass's {@code writable} and {@code send} hooks. */
    interface Writer {
        boolean writable();

        void send(ByteBuf audio, long startSample16k, int samples16k);
    }

    private final ChunkQueue queue;
    private final SinkLatency latency;
    private final Confirmations confirmations;
    private final GapCounter gaps = new GapCounter();

    /** Media thread: pushed out of the full queue (drop-oldest). */
    private volatile long framesOverflowed;
    /** Cleared from the queue: the link failed, the flush timed out or the relay stopped. */
    private volatile long framesDiscarded;
    private volatile long framesSent;
    private volatile long bytesOut;

    /** @param replay keep written chunks until a pong confirms them, and write them again after a reconnect */
    SinkBacklog(int capacityChunks, SinkLatency latency, boolean replay) {
        this.queue = new ChunkQueue(capacityChunks);
        this.latency = latency;
        this.confirmations = new Confirmations(replay, capacityChunks);
    }

    /** What the link knows about delivery (IO loop). */
    Confirmations confirmations() {
        return confirmations;
    }

    /** Queues {@code chunk} (ownership passes to the queue), dropping the oldest when full. */
    void offer(ByteBuf chunk) {
        int dropped = queue.offer(chunk);
        if (dropped > 0) {
            framesOverflowed += dropped;
        }
    }

    /**
     * Hands chunks to {@code writer} while it is writable, each without its header: first those
     * the last connection left unconfirmed (replayed, oldest first), then the queue's, oldest
     * first; returns how many it sent.
     */
    int drainTo(Writer writer) {
        int written = 0;
        while (writer.writable() && confirmations.hasReplay()) {
            ByteBuf chunk = confirmations.nextReplay();
            long start = ChunkHeader.startSample16k(chunk);
            int samples = ChunkHeader.samples16k(chunk);
            chunk.skipBytes(ChunkHeader.LENGTH);
            bytesOut += chunk.readableBytes();
            writer.send(chunk, start, samples);
            written++;
        }
        while (writer.writable()) {
            ByteBuf chunk = queue.poll();
            if (chunk == null) {
                break;
            }
            long start = ChunkHeader.startSample16k(chunk);
            int samples = ChunkHeader.samples16k(chunk);
            int frames = ChunkHeader.frames(chunk);
            long arrival = ChunkHeader.arrivalNanos(chunk);
            gaps.next(start, samples);
            confirmations.writing(chunk, frames);
            chunk.skipBytes(ChunkHeader.LENGTH);
            int bytes = chunk.readableBytes();
            writer.send(chunk, start, samples);
            latency.record(System.nanoTime() - arrival);
            bytesOut += bytes;
            framesSent += frames;
            written++;
        }
        return written;
    }

    /**
     * Keeps the retained (written, unconfirmed) chunks and the queued ones within the queue's
     * bound together: the oldest retained go first.
     */
    void trim() {
        if (confirmations.retained() > 0) {
            confirmations.trimTo(queue.capacity() - queue.size());
        }
    }

    /**
     * Releases everything queued and counts it as discarded, and every retained chunk (those
     * waiting for a replay declared unconfirmed); returns the frames it held.
     */
    int discard() {
        int lost = queue.clear();
        if (lost > 0) {
            framesDiscarded += lost;
        }
        return lost + confirmations.releaseAll();
    }

    /** Nothing queued and nothing waiting to be written again. */
    boolean isEmpty() {
        return queue.size() == 0 && !confirmations.hasReplay();
    }

    /** Frames queued now, given the frames the sink has taken in so far. */
    int depth(long framesIn) {
        long depth = framesIn - framesSent - framesOverflowed - framesDiscarded;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, depth));
    }

    long framesDropped() {
        return framesOverflowed + framesDiscarded;
    }

    /** Frames written on a connection that was lost before a pong confirmed them, and not replayed. */
    long framesUnconfirmed() {
        return confirmations.framesUnconfirmed();
    }

    /** Frames written again on a new connection because the lost one had not confirmed them. */
    long framesReplayed() {
        return confirmations.framesReplayed();
    }

    long framesSent() {
        return framesSent;
    }

    long bytesOut() {
        return bytesOut;
    }

    long gapSamples() {
        return gaps.gapSamples();
    }
}
