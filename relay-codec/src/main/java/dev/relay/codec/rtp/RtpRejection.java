package dev.relay.codec.rtp;

import java.util.Locale;

/**
 * Why {@link RtpHeader#wrap(byte[], int, int)} refused a packet, or {@link #NONE} when it did not.
 *
 * <p>Reasons are checked in declaration order and the first that applies is reported, so a
 * packet that is both truncated and of the wrong version is {@link #TRUNCATED_HEADER}.
 * {@link #label()} is stable and meant for metric labels; {@link #description()} is for logs.
 */
public enum RtpRejection {
    /** The packet is well formed. */
    NONE("well formed"),
    /** Fewer than the 12 bytes of the fixed header. */
    TRUNCATED_HEADER("shorter than the 12-byte fixed RTP header"),
    /** The version field is not 2. */
    BAD_VERSION("RTP version is not 2"),
    /** The CSRC list (4 bytes per CC) runs past the end of the packet. */
    CSRC_PAST_END("CSRC list runs past the end of the packet"),
    /** The X bit is set but the extension header or its body runs past the end. */
    EXTENSION_PAST_END("header extension runs past the end of the packet"),
    /**
     * The P bit is set but the padding count (last octet) is 0; RFC 3550 §5.1 counts the last
     * octet itself, so a valid count is at least 1.
     */
    BAD_PADDING("padding bit set but padding count is 0"),
    /** The padding count is larger than the bytes between the header and the end. */
    PADDING_EXCEEDS_PAYLOAD("padding count exceeds the bytes after the header"),
    /** Nothing remains after header and padding; the relay treats that as bad input. */
    EMPTY_PAYLOAD("no payload bytes after header and padding");

    private final String description;
    private final String label;

    RtpRejection(String description) {
        this.description = description;
        this.label = name().toLowerCase(Locale.ROOT);
    }

    /** A human description, for logs. */
    public String description() {
        return description;
    }

    /** A stable lower-case metric label such as {@code truncated_header}. */
    public String label() {
        return label;
    }
}
