package dev.relay.codec.jitter;

import dev.relay.codec.rtp.RtpHeader;
import dev.relay.codec.rtp.RtpRejection;
import dev.relay.codec.testing.RtpPackets;

/**
 * A jitter buffer with an adjustable clock and a recording output, fed with test packets whose
 * payload is {@code frame} bytes tagged with their sequence number.
 */
final class JitterHarness {
    static final long MS = 1_000_000L;

    final RecordingOutput out = new RecordingOutput();
    final JitterBuffer jb;
    final RtpHeader rtp = new RtpHeader();
    long nowNs;
    long ssrc = 0x1234ABCDL;
    int frame = 160;

    JitterHarness(int windowFrames, long maxWaitNs) {
        jb = new JitterBuffer(windowFrames, maxWaitNs, 1024, out);
    }

    JitterHarness(JitterBuffer jb) {
        this.jb = jb;
    }

    /** Pushes a packet with sequence {@code seq} and timestamp {@code ts} at the current time. */
    PushResult push(int seq, long ts) {
        return push(seq, ts, frame);
    }

    PushResult push(int seq, long ts, int payloadBytes) {
        return pushBytes(packet(seq & 0xFFFF, ts & 0xFFFF_FFFFL, ssrc, payloadBytes));
    }

    PushResult pushBytes(byte[] packet) {
        if (rtp.wrap(packet, 0, packet.length) != RtpRejection.NONE) {
            throw new AssertionError("test built an invalid packet");
        }
        return jb.push(rtp, nowNs);
    }

    /** Frame {@code k} of a stream starting at {@code (seq0, ts0)}. */
    PushResult frame(int seq0, long ts0, int k) {
        return push(seq0 + k, ts0 + (long) k * frame);
    }

    static byte[] packet(int seq, long ts, long ssrc, int payloadBytes) {
        byte[] payload = new byte[payloadBytes];
        for (int i = 0; i < payloadBytes; i++) {
            payload[i] = (byte) (seq * 31 + i);
        }
        payload[0] = (byte) (seq >>> 8);
        payload[1] = (byte) seq;
        return RtpPackets.simple(seq, ts, ssrc, 0, false, payload);
    }
}
