package dev.relay.codec.jitter;

/**
 * Counters of one {@link JitterBuffer}, as plain longs that only grow. Owned and written by the
 * buffer on the call's thread; read them on that thread (copy them out for another thread).
 *
 * <p>After {@link JitterBuffer#flush()}, every packet pushed is accounted for exactly once:
 * {@code received == emitted + duplicates + late + oversized}.
 */
public final class JitterStats {
    long received;
    long emitted;
    long reordered;
    long duplicates;
    long late;
    long oversized;
    long lostPackets;
    long concealedGaps;
    long concealedSamples;
    long resets;

    JitterStats() {}

    /** Packets pushed. */
    public long received() {
        return received;
    }

    /** Payloads emitted through {@link JitterOutput#onPayload}. */
    public long emitted() {
        return emitted;
    }

    /** Packets that arrived after a later sequence number yet were still emitted in order. */
    public long reordered() {
        return reordered;
    }

    /** Packets dropped because they had already been emitted or were already held. */
    public long duplicates() {
        return duplicates;
    }

    /** Packets dropped because their sequence was already passed (concealed or too old). */
    public long late() {
        return late;
    }

    /** Packets dropped because the payload exceeded {@code maxPayloadBytes}. */
    public long oversized() {
        return oversized;
    }

    /** Sequence numbers declared lost (covered by concealment). */
    public long lostPackets() {
        return lostPackets;
    }

    /** Calls to {@link JitterOutput#onConceal}. */
    public long concealedGaps() {
        return concealedGaps;
    }

    /** Timestamp units (samples) of concealment emitted. */
    public long concealedSamples() {
        return concealedSamples;
    }

    /** Stream restarts after an SSRC change or a sequence/timestamp jump. */
    public long resets() {
        return resets;
    }
}
