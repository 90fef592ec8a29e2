package dev.relay.codec.jitter;

/** What {@link JitterBuffer#push} did with a packet. */
public enum PushResult {
    /** Emitted before push returned (possibly after releasing earlier gaps and packets). */
    EMITTED,
    /** Held until the gap before it fills or is declared lost. */
    HELD,
    /** Dropped: already emitted or already held. */
    DUPLICATE,
    /** Dropped: its sequence is before the next expected one, and it was not emitted. */
    LATE,
    /** Dropped: payload larger than the buffer's {@code maxPayloadBytes}. */
    OVERSIZED,
    /** Started a new stream (SSRC change or jump): held packets flushed, this one emitted. */
    RESET
}
