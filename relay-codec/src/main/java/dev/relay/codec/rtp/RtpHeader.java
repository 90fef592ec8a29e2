package dev.relay.codec.rtp;

import java.util.Objects;

/**
 * Flyweight over one RTP packet (RFC 3550 §5.1) held in a {@code byte[]} at
 * {@code (offset, length)}. It reads fields at absolute indices and never copies or moves
 * anything; all multi-byte fields are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |        sequence number        |  0
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                           timestamp                           |  4
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |           synchronization source (SSRC) identifier            |  8
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |       contributing source (CSRC) identifiers, CC × 4 bytes    | 12
 *  |                             ....                              |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |      defined by profile       |   length (32-bit words)       |  only if X
 *  |              header extension, length × 4 bytes               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                          payload ...                          |
 *  |                               +-------------------------------+
 *  |                               |    padding    | pad count (P) |  only if P
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Usage: {@link #wrap(byte[], int, int)} validates the whole layout and returns
 * {@link RtpRejection#NONE} when the flyweight may be read; after any other result its getters
 * are meaningless. The static {@code (buffer, offset)} twins read the fixed-header fields of a
 * packet at {@code offset} without validation (caller checked at least 12 bytes).
 *
 * <p>Not thread-safe; one instance is meant to be reused for every packet of a call. The
 * buffer stays the caller's: the flyweight must not be read after the caller reuses it.
 */
public final class RtpHeader {
    /** Byte holding version (2 bits), padding, extension and CSRC count (4 bits). */
    public static final int VPXCC_OFFSET = 0;
    /** Byte holding the marker bit and the 7-bit payload type. */
    public static final int MPT_OFFSET = 1;
    /** Unsigned 16-bit sequence number. */
    public static final int SEQUENCE_OFFSET = 2;
    /** Unsigned 32-bit timestamp, in the payload's clock units (samples for audio). */
    public static final int TIMESTAMP_OFFSET = 4;
    /** Unsigned 32-bit synchronisation source. */
    public static final int SSRC_OFFSET = 8;
    /** First CSRC, when CC &gt; 0. */
    public static final int CSRC_OFFSET = 12;
    /** Length of the fixed header. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** Bytes per CSRC identifier. */
    public static final int CSRC_LENGTH = 4;
    /** Length of the extension header (profile + length) that precedes its body. */
    public static final int EXTENSION_HEADER_LENGTH = 4;
    /** The only RTP version this flyweight accepts. */
    public static final int VERSION = 2;

    private static final int PADDING_BIT = 0x20;
    private static final int EXTENSION_BIT = 0x10;
    private static final int CC_MASK = 0x0F;
    private static final int MARKER_BIT = 0x80;
    private static final int PT_MASK = 0x7F;

    private byte[] buffer;
    private int offset;
    private int length;
    private int extensionOffset = -1;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;
    private boolean valid;

    /**
     * Points this flyweight at {@code buffer[offset, offset + length)} and validates the layout:
     * version, CSRC list, header extension and padding must all fit, and at least one payload
     * byte must remain.
     *
     * @return {@link RtpRejection#NONE} when valid; otherwise why not, and the flyweight must
     *     not be read until the next successful wrap
     * @throws IndexOutOfBoundsException if the range lies outside {@code buffer} (a caller bug,
     *     not bad input)
     */
    public RtpRejection wrap(byte[] buffer, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, buffer.length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.valid = false;
        this.extensionOffset = -1;

        if (length < FIXED_HEADER_LENGTH) {
            return RtpRejection.TRUNCATED_HEADER;
        }
        final int first = buffer[offset + VPXCC_OFFSET] & 0xFF;
        if ((first >>> 6) != VERSION) {
            return RtpRejection.BAD_VERSION;
        }
        int headerLength = FIXED_HEADER_LENGTH + CSRC_LENGTH * (first & CC_MASK);
        if (headerLength > length) {
            return RtpRejection.CSRC_PAST_END;
        }
        if ((first & EXTENSION_BIT) != 0) {
            if (headerLength + EXTENSION_HEADER_LENGTH > length) {
                return RtpRejection.EXTENSION_PAST_END;
            }
            final int words = readU16(buffer, offset + headerLength + 2);
            final int extensionStart = headerLength;
            headerLength += EXTENSION_HEADER_LENGTH + 4 * words;
            if (headerLength > length) {
                return RtpRejection.EXTENSION_PAST_END;
            }
            extensionOffset = offset + extensionStart;
        }
        int padding = 0;
        if ((first & PADDING_BIT) != 0) {
            padding = buffer[offset + length - 1] & 0xFF;
            if (padding == 0) {
                return RtpRejection.BAD_PADDING;
            }
            if (padding > length - headerLength) {
                return RtpRejection.PADDING_EXCEEDS_PAYLOAD;
            }
        }
        final int payload = length - headerLength - padding;
        if (payload == 0) {
            return RtpRejection.EMPTY_PAYLOAD;
        }
        this.payloadOffset = offset + headerLength;
        this.payloadLength = payload;
        this.paddingLength = padding;
        this.valid = true;
        return RtpRejection.NONE;
    }

    /** Whether the last {@link #wrap} returned {@link RtpRejection#NONE}. */
    public boolean isValid() {
        return valid;
    }

    /** The wrapped array (the caller's; never copied). */
    public byte[] buffer() {
        return buffer;
    }

    /** Absolute index of the packet's first byte in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** Length of the whole packet in bytes, header and padding included. */
    public int length() {
        return length;
    }

    /** The version field (2 for every valid packet). */
    public int version() {
        return version(buffer, offset);
    }

    /** Whether the P bit is set. */
    public boolean padding() {
        return padding(buffer, offset);
    }

    /** Whether the X bit is set. */
    public boolean extension() {
        return extension(buffer, offset);
    }

    /** Number of CSRC identifiers, 0..15. */
    public int csrcCount() {
        return csrcCount(buffer, offset);
    }

    /** The marker bit (for audio: first packet of a talkspurt). */
    public boolean marker() {
        return marker(buffer, offset);
    }

    /** Payload type, 0..127. */
    public int payloadType() {
        return payloadType(buffer, offset);
    }

    /** Sequence number, 0..65535. */
    public int sequence() {
        return sequence(buffer, offset);
    }

    /** Timestamp, 0..2^32−1, in the payload's clock units. */
    public long timestamp() {
        return timestamp(buffer, offset);
    }

    /** SSRC, 0..2^32−1. */
    public long ssrc() {
        return ssrc(buffer, offset);
    }

    /**
     * The {@code index}-th CSRC, 0..2^32−1.
     *
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < csrcCount()}
     */
    public long csrc(int index) {
        Objects.checkIndex(index, csrcCount());
        return readU32(buffer, offset + CSRC_OFFSET + CSRC_LENGTH * index);
    }

    /** The extension's 16-bit "defined by profile" field, or −1 when X is not set. */
    public int extensionProfile() {
        return extensionOffset < 0 ? -1 : readU16(buffer, extensionOffset);
    }

    /**
     * Length of the extension body in bytes (the length field × 4, excluding the 4-byte
     * extension header), or 0 when X is not set.
     */
    public int extensionLengthBytes() {
        return extensionOffset < 0 ? 0 : 4 * readU16(buffer, extensionOffset + 2);
    }

    /**
     * Absolute index in {@link #buffer()} of the extension body (after its 4-byte header), or
     * −1 when X is not set.
     */
    public int extensionBodyOffset() {
        return extensionOffset < 0 ? -1 : extensionOffset + EXTENSION_HEADER_LENGTH;
    }

    /** Absolute index in {@link #buffer()} of the first payload byte, after CSRCs and extension. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length in bytes, padding excluded; at least 1 for a valid packet. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Padding length in bytes including the count octet, 0 when P is not set. */
    public int paddingLength() {
        return paddingLength;
    }

    /** Version field of the packet at {@code offset}. */
    public static int version(byte[] buffer, int offset) {
        return (buffer[offset + VPXCC_OFFSET] & 0xFF) >>> 6;
    }

    /** P bit of the packet at {@code offset}. */
    public static boolean padding(byte[] buffer, int offset) {
        return (buffer[offset + VPXCC_OFFSET] & PADDING_BIT) != 0;
    }

    /** X bit of the packet at {@code offset}. */
    public static boolean extension(byte[] buffer, int offset) {
        return (buffer[offset + VPXCC_OFFSET] & EXTENSION_BIT) != 0;
    }

    /** CSRC count of the packet at {@code offset}. */
    public static int csrcCount(byte[] buffer, int offset) {
        return buffer[offset + VPXCC_OFFSET] & CC_MASK;
    }

    /** Marker bit of the packet at {@code offset}. */
    public static boolean marker(byte[] buffer, int offset) {
        return (buffer[offset + MPT_OFFSET] & MARKER_BIT) != 0;
    }

    /** Payload type of the packet at {@code offset}. */
    public static int payloadType(byte[] buffer, int offset) {
        return buffer[offset + MPT_OFFSET] & PT_MASK;
    }

    /** Sequence number (0..65535) of the packet at {@code offset}. */
    public static int sequence(byte[] buffer, int offset) {
        return readU16(buffer, offset + SEQUENCE_OFFSET);
    }

    /** Timestamp (0..2^32−1) of the packet at {@code offset}. */
    public static long timestamp(byte[] buffer, int offset) {
        return readU32(buffer, offset + TIMESTAMP_OFFSET);
    }

    /** SSRC (0..2^32−1) of the packet at {@code offset}. */
    public static long ssrc(byte[] buffer, int offset) {
        return readU32(buffer, offset + SSRC_OFFSET);
    }

    private static int readU16(byte[] buffer, int index) {
        return ((buffer[index] & 0xFF) << 8) | (buffer[index + 1] & 0xFF);
    }

    private static long readU32(byte[] buffer, int index) {
        return ((long) (buffer[index] & 0xFF) << 24)
                | ((buffer[index + 1] & 0xFF) << 16)
                | ((buffer[index + 2] & 0xFF) << 8)
                | (buffer[index + 3] & 0xFF);
    }
}
