package dev.relay.core.ingress;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Tells an RTP stream from raw PCM16 in the first binary frames of a socket (SPEC §4.3).
 *
 * <p>One frame is not enough: two bytes decide version and payload type, and a PCM16 LE stream
 * whose first sample lies in 128…191 or −128…−65 has exactly those bytes of an RTP packet
 * (version 2, payload type 0 or 127). So {@link #looksLikeRtp} judges one frame by its whole
 * header (version 2, a payload type the relay handles, CSRCs, extension and padding within the
 * frame), and {@link #isStream} judges the first frames together: one SSRC, one payload type,
 * sequence numbers one to three apart and timestamps moving forward by less than a second of
 * 8 kHz audio. A PCM stream passes all of that by chance about never. Stateless.
 */
final class RtpSniffer {
    private static final int HEADER = 12;
    /** Largest step between consecutive first packets' sequence numbers (a little loss or reordering). */
    private static final int MAX_SEQ_STEP = 3;
    /** Largest timestamp step between consecutive first packets: one second at 8 kHz. */
    private static final long MAX_TS_STEP = 8000;

    private RtpSniffer() {}

    /** True when {@code b} could be one RTP packet the relay handles. */
    static boolean looksLikeRtp(ByteBuf b) {
        int length = b.readableBytes();
        if (length < HEADER) {
            return false;
        }
        int i = b.readerIndex();
        int first = b.getUnsignedByte(i);
        int pt = b.getUnsignedByte(i + 1) & 0x7F;
        if ((first >> 6) != 2 || !(pt == 0 || pt == 8 || pt == 13 || pt >= 96)) {
            return false;
        }
        int header = HEADER + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (length < header + 4) {
                return false;
            }
            header += 4 + 4 * b.getUnsignedShort(i + header + 2);
        }
        if (header > length) {
            return false;
        }
        if ((first & 0x20) != 0) {
            int padding = b.getUnsignedByte(i + length - 1);
            return padding > 0 && header + padding <= length;
        }
        return true;
    }

    /** True when {@code packets}, each passing {@link #looksLikeRtp}, continue one another as one RTP stream. */
    static boolean isStream(List<ByteBuf> packets) {
        for (int n = 1; n < packets.size(); n++) {
            ByteBuf a = packets.get(n - 1);
            ByteBuf b = packets.get(n);
            int ai = a.readerIndex();
            int bi = b.readerIndex();
            if (a.getInt(ai + 8) != b.getInt(bi + 8)
                    || (a.getUnsignedByte(ai + 1) & 0x7F) != (b.getUnsignedByte(bi + 1) & 0x7F)) {
                return false;
            }
            int seqStep = (b.getUnsignedShort(bi + 2) - a.getUnsignedShort(ai + 2)) & 0xFFFF;
            long tsStep = (b.getUnsignedInt(bi + 4) - a.getUnsignedInt(ai + 4)) & 0xFFFFFFFFL;
            if (seqStep < 1 || seqStep > MAX_SEQ_STEP || tsStep > MAX_TS_STEP) {
                return false;
            }
        }
        return true;
    }
}
