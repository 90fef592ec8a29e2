package dev.relay.core.scanner;


/**
 * The {@code media.track} field of a Media Streams envelope frame, as reported by
 * {@link MediaEventScanner#track()}. A peer streaming {@code both_tracks} sends the
 * call's outbound audio too, which must not be mistaken for the caller's voice.
 */
public enum MediaTrack {
    /** No {@code track} field (always the case for Alohaa frames). */
    NONE,
    /** {@code "inbound"}: audio from the caller. */
    INBOUND,
    /** {@code "outbound"}: audio played to the caller. */
    OUTBOUND,
    /** Any other value. */
    OTHER
}
