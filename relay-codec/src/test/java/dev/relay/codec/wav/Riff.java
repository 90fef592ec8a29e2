package dev.relay.codec.wav;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds RIFF files byte by byte for tests, including malformed ones. */
final class Riff {
    /** Sub-format GUID tail shared by PCM, A-law and μ-law: {@code -0000-0010-8000-00AA00389B71}. */
    static final byte[] GUID_TAIL = {
        0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long riffSize = -1;

    private Riff(String id, String form) {
        ascii(id);
        le32(0);
        ascii(form);
    }

    /** {@code RIFF....WAVE}; the RIFF size is filled in by {@link #build()}. */
    static Riff wave() {
        return new Riff("RIFF", "WAVE");
    }

    static Riff of(String id, String form) {
        return new Riff(id, form);
    }

    /** A chunk with its true size, padded to even length. */
    Riff chunk(String id, byte[] body) {
        return chunkDeclaring(id, body.length, body).pad(body.length);
    }

    /** A chunk header declaring {@code size}, followed by {@code body} whatever its length, no pad. */
    Riff chunkDeclaring(String id, long size, byte[] body) {
        ascii(id);
        le32((int) size);
        out.writeBytes(body);
        return this;
    }

    Riff bytes(byte[] raw) {
        out.writeBytes(raw);
        return this;
    }

    /** Overrides the RIFF size field instead of computing it. */
    Riff riffSize(long size) {
        riffSize = size;
        return this;
    }

    byte[] build() {
        byte[] b = out.toByteArray();
        long size = riffSize >= 0 ? riffSize : b.length - 8;
        WavLayout.putInt(b, 4, (int) size);
        return b;
    }

    /** A 16-byte fmt body. */
    static byte[] fmt(int tag, int channels, long rate, int blockAlign, int bits) {
        Riff r = new Riff();
        r.le16(tag).le16(channels).le32((int) rate).le32((int) (rate * blockAlign)).le16(blockAlign).le16(bits);
        return r.out.toByteArray();
    }

    static byte[] fmtFor(WavFormat f) {
        return fmt(f.formatTag(), f.channels(), f.sampleRateHz(), f.blockAlign(), f.bitsPerSample());
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt body with the standard sub-format GUID for {@code subTag}. */
    static byte[] fmtExtensible(int subTag, int channels, long rate, int blockAlign, int bits, int validBits) {
        Riff r = new Riff();
        r.out.writeBytes(fmt(0xFFFE, channels, rate, blockAlign, bits));
        r.le16(22).le16(validBits).le32(channels == 1 ? 0x4 : 0x3).le32(subTag);
        r.out.writeBytes(GUID_TAIL);
        return r.out.toByteArray();
    }

    /** A minimal valid file: fmt then data. */
    static byte[] simple(WavFormat f, byte[] data) {
        return wave().chunk("fmt ", fmtFor(f)).chunk("data", data).build();
    }

    private Riff() {}

    private Riff pad(int length) {
        if ((length & 1) != 0) {
            out.write(0);
        }
        return this;
    }

    private void ascii(String id) {
        out.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Riff le16(int v) {
        out.write(v);
        out.write(v >>> 8);
        return this;
    }

    private Riff le32(int v) {
        le16(v);
        return le16(v >>> 16);
    }
}
