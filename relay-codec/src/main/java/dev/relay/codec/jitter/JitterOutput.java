package dev.relay.codec.jitter;

/**
 * Receives a call's media from a {@link JitterBuffer} in sequence order, with lost stretches
 * replaced by concealment. Emissions are contiguous in RTP timestamp units: a conceal starts
 * where the previous payload's duration ends and ends where the next payload starts.
 *
 * <p>One instance per call, called on the buffer's (the call's) thread only. Implementations
 * must not call back into the same buffer.
 */
public interface JitterOutput {
    /**
     * One packet's payload, in order.
     *
     * @param payloadType RTP payload type, 0..127
     * @param rtpTimestamp RTP timestamp, 0..2^32−1
     * @param marker RTP marker bit
     * @param payload array holding the payload; owned by the caller and valid only during the
     *     call: copy what must outlive it
     * @param offset index of the first payload byte
     * @param length payload bytes (padding excluded)
     */
    void onPayload(int payloadType, long rtpTimestamp, boolean marker, byte[] payload, int offset, int length);

    /**
     * A gap declared lost: silence (or other concealment) of {@code samples} RTP timestamp units
     * starting at {@code rtpTimestamp}. The length comes from the RTP timestamps around the gap,
     * not from an assumed frame size.
     *
     * @param rtpTimestamp first timestamp of the gap, 0..2^32−1
     * @param samples gap length in timestamp units (samples for audio), at least 1
     */
    void onConceal(long rtpTimestamp, int samples);
}
