package dev.relay.core.scanner;


/**
 * The {@code event} field of an inbound telephony JSON frame, as reported by
 * {@link MediaEventScanner#event()}.
 *
 * <p>Only {@link #MEDIA} is handled on the hot path; the other kinds are rare
 * control messages that the caller may re-parse with a general JSON parser.
 */
public enum MediaEventKind {
    /** {@code "connected"}: Alohaa call registration, or the envelope's protocol greeting. */
    CONNECTED,
    /** {@code "start"}: envelope stream start (carries {@code start.mediaFormat}). */
    START,
    /** {@code "media"}: one chunk of call audio. */
    MEDIA,
    /** {@code "mark"}: envelope playback mark echoed back by the peer. */
    MARK,
    /** {@code "stop"}: end of the stream or call. */
    STOP,
    /** {@code "dtmf"}: envelope DTMF digit. */
    DTMF,
    /** Any other event name (matched case-sensitively), or no event seen yet. */
    UNKNOWN
}
