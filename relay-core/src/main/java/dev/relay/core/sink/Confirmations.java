package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;

/**
 * What a sink knows about the delivery of the audio it wrote: a WebSocket pong confirms every
 * frame written before its ping (RFC 6455 peers answer a ping after reading what came before it),
 * so frames written since the last confirmed ping are <em>unconfirmed</em>. When the connection is
 * lost they are either replayed on the next one (a sink whose wire places audio by timestamp) or
 * declared possibly lost ({@link #framesUnconfirmed}).
 *
 * <p>Positions count frames in the order they left the queue ({@code framesSent}): {@code wire}
 * is how far the current connection has written, {@code confirmed} how far a pong has confirmed.
 * A replaying sink keeps the unconfirmed chunks themselves in a fixed ring (no allocation per
 * chunk; a chunk's own reference is retained) that holds positions {@code [head, framesSent)};
 * the entries before {@code cursor} were (re)written on the current connection, the rest wait to
 * be replayed on it. The ring's length plus the queue's stays within the queue's bound
 * ({@link #trimTo}): under a stall the oldest retained chunks go first, and they are declared
 * possibly lost when their connection is.
 *
 * <p>Threads: the sink's IO loop (or, once it has terminated, the thread that stops the relay);
 * {@link #framesUnconfirmed} and {@link #framesReplayed} are read from any thread.
 */
final class Confirmations {
    private final boolean replay;
    private final ByteBuf[] ring;
    private final int[] ringFrames;
    private int first;
    private int size;
    private int cursor;

    private long head;
    private long wire;
    private long confirmed;
    /** Where the outstanding ping was written, or -1 when none is outstanding. */
    private long pingMark = -1;
    private long pingSentNanos;

    private volatile long framesUnconfirmed;
    private volatile long framesReplayed;

    /**
     * @param replay keep unconfirmed chunks and write them again after a reconnect
     * @param capacityChunks the sink's queue bound, in chunks (the ring's size when replaying)
     */
    Confirmations(boolean replay, int capacityChunks) {
        this.replay = replay;
        this.ring = new ByteBuf[replay ? capacityChunks : 0];
        this.ringFrames = new int[ring.length];
    }

    boolean replays() {
        return replay;
    }

    /** Chunks that wait to be written again on the current connection. */
    boolean hasReplay() {
        return cursor < size;
    }

    /**
     * The next chunk to write again, header first (reader index 0), with a reference for the
     * writer; the ring keeps its own. Only while {@link #hasReplay}.
     */
    ByteBuf nextReplay() {
        int i = index(cursor++);
        wire += ringFrames[i];
        framesReplayed += ringFrames[i];
        return ring[i].retain().readerIndex(0);
    }

    /**
     * A chunk taken from the queue is about to be written (header still readable); a replaying
     * sink keeps a reference to it.
     */
    void writing(ByteBuf chunk, int frames) {
        wire += frames;
        if (!replay) {
            return;
        }
        if (size == ring.length) {
            dropHead();
        }
        int i = index(size++);
        ring[i] = chunk.retain();
        ringFrames[i] = frames;
        cursor++;
    }

    /** True while frames written on this connection wait for a confirmation. */
    boolean unconfirmed() {
        return wire > confirmed;
    }

    boolean pingOutstanding() {
        return pingMark >= 0;
    }

    /** A ping carrying {@code mark} was written now; returns the mark. */
    long pinged(long nowNanos) {
        pingMark = wire;
        pingSentNanos = nowNanos;
        return pingMark;
    }

    long pingAgeNanos(long nowNanos) {
        return nowNanos - pingSentNanos;
    }

    /** A pong carrying {@code mark} came: what was written before its ping is delivered. */
    void ponged(long mark) {
        if (mark != pingMark) {
            return; // unsolicited, or from before this connection
        }
        pingMark = -1;
        confirmed = Math.max(confirmed, mark);
        while (size > 0 && cursor > 0 && head + ringFrames[first] <= confirmed) {
            releaseHead();
            cursor--;
        }
    }

    /**
     * The connection is gone. Returns the frames declared possibly lost: every unconfirmed frame,
     * except those a replaying sink still holds; those wait to be written again.
     */
    int connectionLost() {
        long lost = replay ? Math.max(0, head - confirmed) : wire - confirmed;
        if (replay) {
            cursor = 0;
            wire = head;
        }
        confirmed = wire;
        pingMark = -1;
        declare(lost);
        return (int) lost;
    }

    /** Drops the oldest retained chunks until at most {@code chunks} are retained. */
    void trimTo(int chunks) {
        while (size > Math.max(0, chunks)) {
            dropHead();
        }
    }

    int retained() {
        return size;
    }

    /**
     * Releases every retained chunk: the sink is done with the call (or gives up on it). Those
     * still waiting to be written again are declared possibly lost; those written on the current
     * connection are not counted (the close handshake that follows is their confirmation).
     */
    int releaseAll() {
        long lost = 0;
        while (size > 0) {
            if (cursor == 0) {
                lost += ringFrames[first];
            } else {
                cursor--;
            }
            releaseHead();
        }
        declare(lost);
        return (int) lost;
    }

    long framesUnconfirmed() {
        return framesUnconfirmed;
    }

    long framesReplayed() {
        return framesReplayed;
    }

    /** Stops retaining the oldest chunk. */
    private void dropHead() {
        if (cursor > 0) {
            // Written on this connection: its fate is settled by a pong or the connection's loss.
            cursor--;
            releaseHead();
        } else {
            // Written only on a connection that is gone, never confirmed.
            declare(ringFrames[first]);
            releaseHead();
            wire = head;
            confirmed = head;
        }
    }

    private void releaseHead() {
        head += ringFrames[first];
        ring[first].release();
        ring[first] = null;
        first = index(1);
        size--;
    }

    private void declare(long frames) {
        if (frames > 0) {
            framesUnconfirmed += frames;
        }
    }

    private int index(int offset) {
        int i = first + offset;
        return i >= ring.length ? i - ring.length : i;
    }
}
