package dev.relay.core.ingress;

import io.netty.buffer.ByteBuf;

/**
 * Tells an RTP packet from raw PCM16 in a first binary frame (SPEC §4.3): version 2, and a payload
 * type the relay handles (PCMU, PCMA, CN or dynamic 96–127). PCM audio passes this by chance in
 * rare cases; a stream is judged once, on its first frame.
 */
final class RtpSniffer {
    private RtpSniffer() {}

    static boolean looksLikeRtp(ByteBuf b) {
        if (b.readableBytes() < 12) {
            return false;
        }
        int i = b.readerIndex();
        int first = b.getUnsignedByte(i);
        int pt = b.getUnsignedByte(i + 1) & 0x7F;
        return (first >> 6) == 2 && (pt == 0 || pt == 8 || pt == 13 || pt >= 96);
    }
}
