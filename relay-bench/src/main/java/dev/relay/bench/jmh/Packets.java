package dev.relay.bench.jmh;

import java.util.SplittableRandom;

/** Synthetic RTP packets for benchmarks: PCMU, no CSRC/extension/padding, noise payload. */
final class Packets {
    private Packets() {}

    static byte[] rtp(int length, int sequence, long timestamp) {
        byte[] p = new byte[length];
        p[0] = (byte) 0x80;
        p[1] = 0;
        setSequence(p, sequence);
        setTimestamp(p, timestamp);
        p[8] = 0x12;
        p[9] = 0x34;
        p[10] = (byte) 0xAB;
        p[11] = (byte) 0xCD;
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 12; i < length; i++) {
            p[i] = (byte) random.nextInt(256);
        }
        return p;
    }

    static void setSequence(byte[] p, int sequence) {
        p[2] = (byte) (sequence >>> 8);
        p[3] = (byte) sequence;
    }

    static void setTimestamp(byte[] p, long timestamp) {
        p[4] = (byte) (timestamp >>> 24);
        p[5] = (byte) (timestamp >>> 16);
        p[6] = (byte) (timestamp >>> 8);
        p[7] = (byte) timestamp;
    }
}
