package dev.relay.core.call;

import java.nio.ByteBuffer;

/**
 * The call's timeline while it still owes silence: what is owed, and the G.711 payloads that
 * arrived behind it, in order, so that a long fill can be paid out over several ticks without
 * reordering the timeline.
 *
 * <p>A FIFO of records in one byte array, allocated on first use (most calls never need it) and
 * reused for the call's life, so nothing is allocated per packet:
 *
 * <pre>
 * offset  size  field
 *  0      4     silence8k     silence owed before the payload (decremented as it is paid)
 *  4      8     arrivalNanos  ingress clock reading of the payload's packet
 * 12      1     payloadType   0 (PCMU), 8 (PCMA), or NONE: the open tail, silence only so far
 * 13      2     length        payload bytes
 * 15      n     payload
 * </pre>
 *
 * Only the last record may be open; owed silence is added to it, and the next payload closes it.
 *
 * <p>Not thread-safe: the call's media thread only.
 */
final class HeldMedia {
    /** Room for about a second of 20 ms G.711 packets, more than a 60 s fill at 1 s per tick lets in. */
    static final int CAPACITY_BYTES = 8192;
    private static final int HEADER = 15;
    private static final byte NONE = -1;

    private final byte[] bytes = new byte[CAPACITY_BYTES];
    private final ByteBuffer view = ByteBuffer.wrap(bytes);
    private int head;
    private int tail;
    /** Start of the last record, or -1 when empty. */
    private int last = -1;

    boolean isEmpty() {
        return last < 0;
    }

    /** Adds owed silence at the end of the timeline; false when there is no room (nothing added). */
    boolean offerSilence(int samples8k) {
        if (last >= 0 && bytes[last + 12] == NONE) {
            view.putInt(last, view.getInt(last) + samples8k);
            return true;
        }
        if (!makeRoom(HEADER)) {
            return false;
        }
        open(samples8k, 0L);
        tail += HEADER;
        return true;
    }

    /** Adds a G.711 payload at the end of the timeline; false when there is no room (nothing added). */
    boolean offerAudio(int payloadType, byte[] src, int offset, int length, long arrivalNanos) {
        boolean reuseOpen = last >= 0 && bytes[last + 12] == NONE;
        if (!makeRoom(reuseOpen ? length : HEADER + length)) {
            return false;
        }
        if (!reuseOpen) {
            open(0, arrivalNanos);
            tail += HEADER;
        }
        view.putLong(last + 4, arrivalNanos);
        bytes[last + 12] = (byte) payloadType;
        view.putShort(last + 13, (short) length);
        System.arraycopy(src, offset, bytes, tail, length);
        tail += length;
        return true;
    }

    /** Silence still owed before the first payload. */
    int headSilence() {
        return view.getInt(head);
    }

    void paySilence(int samples8k) {
        view.putInt(head, view.getInt(head) - samples8k);
    }

    /** False when the first record is the open tail: only silence is left. */
    boolean headHasPayload() {
        return bytes[head + 12] != NONE;
    }

    int headPayloadType() {
        return bytes[head + 12];
    }

    long headArrivalNanos() {
        return view.getLong(head + 4);
    }

    /** The array holding {@link #headOffset()}; valid until the next offer. */
    byte[] array() {
        return bytes;
    }

    int headOffset() {
        return head + HEADER;
    }

    int headLength() {
        return view.getShort(head + 13) & 0xFFFF;
    }

    /** Drops the first record (its silence paid, its payload emitted). */
    void pop() {
        if (head == last) {
            clear();
        } else {
            head += HEADER + headLength();
        }
    }

    void clear() {
        head = 0;
        tail = 0;
        last = -1;
    }

    private void open(int silence8k, long arrivalNanos) {
        last = tail;
        view.putInt(tail, silence8k);
        view.putLong(tail + 4, arrivalNanos);
        bytes[tail + 12] = NONE;
        view.putShort(tail + 13, (short) 0);
    }

    /** Ensures {@code n} free bytes after {@code tail}, moving the live records to the front if needed. */
    private boolean makeRoom(int n) {
        if (tail + n <= bytes.length) {
            return true;
        }
        int live = tail - head;
        if (live + n > bytes.length) {
            return false;
        }
        System.arraycopy(bytes, head, bytes, 0, live);
        if (last >= 0) {
            last -= head;
        }
        tail = live;
        head = 0;
        return true;
    }
}
