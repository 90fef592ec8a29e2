package dev.relay.codec.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds RTP packets (RFC 3550) for tests, including the odd layouts: CSRCs, header extension,
 * padding, a leading offset and trailing bytes outside the packet. Also splits the RFC 4571
 * framed reference file {@code speech_8k_pcmu_rtp.bin}.
 */
public final class RtpPackets {
    private int version = 2;
    private boolean marker;
    private int payloadType;
    private int sequence;
    private long timestamp;
    private long ssrc = 0x1234ABCDL;
    private long[] csrcs = new long[0];
    private int extensionProfile = -1;
    private int extensionWords;
    private int paddingBytes;
    private byte[] payload = new byte[] {1, 2, 3, 4};
    private int leading;
    private int trailing;

    /** A builder for a valid PCMU packet with a 4-byte payload. */
    public static RtpPackets builder() {
        return new RtpPackets();
    }

    /** A plain packet with a 12-byte header, no CSRC, extension or padding. */
    public static byte[] simple(int seq, long ts, long ssrc, int pt, boolean marker, byte[] payload) {
        return builder().sequence(seq).timestamp(ts).ssrc(ssrc).payloadType(pt).marker(marker)
                .payload(payload).build();
    }

    public RtpPackets version(int v) { version = v; return this; }
    public RtpPackets marker(boolean m) { marker = m; return this; }
    public RtpPackets payloadType(int pt) { payloadType = pt; return this; }
    public RtpPackets sequence(int seq) { sequence = seq; return this; }
    public RtpPackets timestamp(long ts) { timestamp = ts; return this; }
    public RtpPackets ssrc(long s) { ssrc = s; return this; }
    public RtpPackets csrcs(long... c) { csrcs = c.clone(); return this; }
    /** Adds a header extension with the given profile and body of {@code words} × 4 bytes. */
    public RtpPackets extension(int profile, int words) {
        extensionProfile = profile;
        extensionWords = words;
        return this;
    }
    /** Sets P and appends {@code bytes} of padding, the last holding the count. */
    public RtpPackets padding(int bytes) { paddingBytes = bytes; return this; }
    public RtpPackets payload(byte[] p) { payload = p.clone(); return this; }
    /** Garbage bytes before the packet, so it sits at a non-zero offset. */
    public RtpPackets leading(int bytes) { leading = bytes; return this; }
    /** Garbage bytes after the packet, outside its length. */
    public RtpPackets trailing(int bytes) { trailing = bytes; return this; }

    /** Length of the packet itself, excluding leading and trailing garbage. */
    public int packetLength() {
        return 12 + 4 * csrcs.length + (extensionProfile >= 0 ? 4 + 4 * extensionWords : 0)
                + payload.length + paddingBytes;
    }

    /** The bytes: {@code leading} × 0xEE, the packet, {@code trailing} × 0xEE. */
    public byte[] build() {
        byte[] out = new byte[leading + packetLength() + trailing];
        Arrays.fill(out, (byte) 0xEE);
        int i = leading;
        out[i++] = (byte) (version << 6 | (paddingBytes > 0 ? 0x20 : 0)
                | (extensionProfile >= 0 ? 0x10 : 0) | csrcs.length);
        out[i++] = (byte) ((marker ? 0x80 : 0) | payloadType);
        i = put16(out, i, sequence);
        i = put32(out, i, timestamp);
        i = put32(out, i, ssrc);
        for (long c : csrcs) {
            i = put32(out, i, c);
        }
        if (extensionProfile >= 0) {
            i = put16(out, i, extensionProfile);
            i = put16(out, i, extensionWords);
            for (int k = 0; k < 4 * extensionWords; k++) {
                out[i++] = (byte) (0xA0 + k);
            }
        }
        System.arraycopy(payload, 0, out, i, payload.length);
        i += payload.length;
        for (int k = 0; k < paddingBytes; k++) {
            out[i++] = 0;
        }
        if (paddingBytes > 0) {
            out[i - 1] = (byte) paddingBytes;
        }
        return out;
    }

    /** The packets of an RFC 4571 framed file (2-byte big-endian length, then the packet). */
    public static List<byte[]> framedRecords(byte[] file) {
        List<byte[]> records = new ArrayList<>();
        int i = 0;
        while (i < file.length) {
            int len = ((file[i] & 0xFF) << 8) | (file[i + 1] & 0xFF);
            byte[] rec = new byte[len];
            System.arraycopy(file, i + 2, rec, 0, len);
            records.add(rec);
            i += 2 + len;
        }
        return records;
    }

    private static int put16(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 8);
        b[i + 1] = (byte) v;
        return i + 2;
    }

    private static int put32(byte[] b, int i, long v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
        return i + 4;
    }
}
