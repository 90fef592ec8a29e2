package dev.relay.codec.wav;

/**
 * RIFF/WAVE byte layout shared by the reader and writer: chunk ids, tags, and the canonical header.
 *
 * <pre>
 * offset  PCM (44 bytes)              A-law / μ-law (58 bytes, as sox writes it)
 *  0      "RIFF" u32 riffSize         "RIFF" u32 riffSize   (file length − 8)
 *  8      "WAVE"                      "WAVE"
 * 12      "fmt " u32 16               "fmt " u32 18
 * 20      u16 tag, u16 channels, u32 sampleRate, u32 byteRate, u16 blockAlign, u16 bits
 * 36      "data" u32 dataSize         u16 cbSize = 0
 * 38                                  "fact" u32 4 u32 frames
 * 50                                  "data" u32 dataSize
 * </pre>
 *
 * All integers little-endian. An odd-sized data chunk is followed by one pad byte that counts in
 * riffSize but not in dataSize.
 */
final class WavLayout {
    static final int RIFF = fourcc('R', 'I', 'F', 'F');
    static final int RIFX = fourcc('R', 'I', 'F', 'X');
    static final int RF64 = fourcc('R', 'F', '6', '4');
    static final int WAVE = fourcc('W', 'A', 'V', 'E');
    static final int FMT = fourcc('f', 'm', 't', ' ');
    static final int DATA = fourcc('d', 'a', 't', 'a');
    static final int FACT = fourcc('f', 'a', 'c', 't');

    static final int TAG_EXTENSIBLE = 0xFFFE;
    static final int PCM_HEADER_BYTES = 44;
    static final int G711_HEADER_BYTES = 58;
    static final long U32_MAX = 0xFFFF_FFFFL;

    private WavLayout() {}

    /** A chunk id as the little-endian int it reads as. */
    static int fourcc(char a, char b, char c, char d) {
        return a | b << 8 | c << 16 | d << 24;
    }

    /** A chunk id for messages: quoted, with non-printable bytes as {@code \xNN}. */
    static String quote(int id) {
        StringBuilder sb = new StringBuilder(18).append('\'');
        for (int i = 0; i < 4; i++) {
            int c = (id >>> (8 * i)) & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        return sb.append('\'').toString();
    }

    /** A name for well-known format tags this package does not decode. */
    static String tagName(int tag) {
        switch (tag) {
            case 0x0002:
                return "MS ADPCM";
            case 0x0003:
                return "IEEE float";
            case 0x0011:
                return "IMA ADPCM";
            case 0x0031:
                return "GSM 6.10";
            case 0x0050:
                return "MPEG";
            case 0x0055:
                return "MPEG Layer 3";
            default:
                return "unknown";
        }
    }

    static int headerLength(WavFormat format) {
        return format.encoding() == WavFormat.Encoding.PCM ? PCM_HEADER_BYTES : G711_HEADER_BYTES;
    }

    /** The most data bytes a file in this format can hold with riffSize still fitting 32 bits. */
    static long maxDataBytes(WavFormat format) {
        return U32_MAX - (headerLength(format) - 8) - 1;
    }

    /** Writes the canonical header for {@code dataBytes} of audio; returns its length. */
    static int putHeader(byte[] dst, int off, WavFormat format, long dataBytes) {
        final int length = headerLength(format);
        final long riffSize = length - 8 + dataBytes + (dataBytes & 1);
        putHeader(dst, off, format, riffSize, dataBytes, dataBytes / format.blockAlign());
        return length;
    }

    /** Writes a header with explicit size fields (the streaming writer's placeholder uses all-ones). */
    static void putHeader(byte[] dst, int off, WavFormat format, long riffSize, long dataSize, long frames) {
        final boolean pcm = format.encoding() == WavFormat.Encoding.PCM;
        putInt(dst, off, RIFF);
        putInt(dst, off + 4, (int) riffSize);
        putInt(dst, off + 8, WAVE);
        putInt(dst, off + 12, FMT);
        putInt(dst, off + 16, pcm ? 16 : 18);
        putShort(dst, off + 20, format.formatTag());
        putShort(dst, off + 22, format.channels());
        putInt(dst, off + 24, format.sampleRateHz());
        putInt(dst, off + 28, format.byteRate());
        putShort(dst, off + 32, format.blockAlign());
        putShort(dst, off + 34, format.bitsPerSample());
        int p = off + 36;
        if (!pcm) {
            putShort(dst, p, 0); // cbSize: no extra format bytes
            putInt(dst, p + 2, FACT);
            putInt(dst, p + 6, 4);
            putInt(dst, p + 10, (int) frames);
            p += 14;
        }
        putInt(dst, p, DATA);
        putInt(dst, p + 4, (int) dataSize);
    }

    static void putShort(byte[] dst, int off, int value) {
        dst[off] = (byte) value;
        dst[off + 1] = (byte) (value >>> 8);
    }

    static void putInt(byte[] dst, int off, int value) {
        dst[off] = (byte) value;
        dst[off + 1] = (byte) (value >>> 8);
        dst[off + 2] = (byte) (value >>> 16);
        dst[off + 3] = (byte) (value >>> 24);
    }
}
