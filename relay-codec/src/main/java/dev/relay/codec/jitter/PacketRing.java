package dev.relay.codec.jitter;

import dev.relay.codec.rtp.RtpHeader;
import java.util.Arrays;

/**
 * The held packets of a {@link JitterBuffer}: a power-of-two ring of preallocated payload slots
 * indexed by {@code sequence & mask}. The buffer only holds sequences within
 * {@code capacity - 1} of the next expected one, so two held packets never share a slot.
 * Single-threaded; allocates only in the constructor.
 */
final class PacketRing {
    private static final int EMPTY = -1;

    private final int mask;
    private final byte[][] payloads;
    private final int[] lengths;
    private final int[] sequences;
    private final int[] payloadTypes;
    private final boolean[] markers;
    private final long[] timestamps;
    private final long[] arrivalNs;
    private int count;

    PacketRing(int capacity, int maxPayloadBytes) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        mask = capacity - 1;
        payloads = new byte[capacity][maxPayloadBytes];
        lengths = new int[capacity];
        sequences = new int[capacity];
        payloadTypes = new int[capacity];
        markers = new boolean[capacity];
        timestamps = new long[capacity];
        arrivalNs = new long[capacity];
        Arrays.fill(sequences, EMPTY);
    }

    int capacity() {
        return mask + 1;
    }

    int count() {
        return count;
    }

    boolean holds(int sequence) {
        return sequences[sequence & mask] == sequence;
    }

    /** Copies the packet's payload into its slot; the slot must be free. */
    void put(RtpHeader rtp, int sequence, long nowNs) {
        final int slot = sequence & mask;
        final int length = rtp.payloadLength();
        System.arraycopy(rtp.buffer(), rtp.payloadOffset(), payloads[slot], 0, length);
        lengths[slot] = length;
        sequences[slot] = sequence;
        payloadTypes[slot] = rtp.payloadType();
        markers[slot] = rtp.marker();
        timestamps[slot] = rtp.timestamp();
        arrivalNs[slot] = nowNs;
        count++;
    }

    /** Frees the slot of a held sequence. */
    void remove(int sequence) {
        sequences[sequence & mask] = EMPTY;
        count--;
    }

    long timestamp(int sequence) {
        return timestamps[sequence & mask];
    }

    byte[] payload(int sequence) {
        return payloads[sequence & mask];
    }

    int length(int sequence) {
        return lengths[sequence & mask];
    }

    int payloadType(int sequence) {
        return payloadTypes[sequence & mask];
    }

    boolean marker(int sequence) {
        return markers[sequence & mask];
    }

    /** Whether any held packet arrived {@code maxWaitNs} or more before {@code nowNs}. */
    boolean anyWaitedAtLeast(long nowNs, long maxWaitNs) {
        if (count == 0) {
            return false;
        }
        final int[] seqs = sequences;
        final long[] arrivals = arrivalNs;
        for (int i = 0; i < seqs.length; i++) {
            if (seqs[i] != EMPTY && nowNs - arrivals[i] >= maxWaitNs) {
                return true;
            }
        }
        return false;
    }
}
