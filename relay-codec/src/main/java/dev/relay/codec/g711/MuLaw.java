package dev.relay.codec.g711;


/**
 * ITU-T G.711 μ-law (PCMU, RTP payload type 0), bit-exact with the G.191 STL {@code ulaw_expand}
 * and {@code ulaw_compress}.
 *
 * <p>Scale: 16-bit linear PCM with the 14-bit G.711 value left-justified (×4), so decoded samples
 * lie in −32124..+32124 and {@code 0x00} decodes to −32124. The encoder looks only at
 * {@code pcm16 >> 2}, exactly as G.191 does; it is not the Sun {@code g711.c} or sox convention,
 * which round differently at 508–510 decision levels.
 *
 * <p>Every method is a table lookup: no allocation, no state, safe from any thread. Bulk methods
 * check their bounds once up front and throw {@link IndexOutOfBoundsException} before touching
 * {@code dst} when a range does not fit.
 */
public final class MuLaw {
    /** The code for zero signal (positive zero); what a silent μ-law frame is filled with. */
    public static final byte SILENCE = (byte) 0xFF;

    private static final short[] DECODE = new short[256];
    private static final float[] DECODE_FLOAT = new float[256];
    /** Indexed by the 14-bit two's-complement value {@code (pcm16 >> 2) & 0x3FFF}. */
    private static final byte[] ENCODE = new byte[1 << 14];

    static {
        for (int code = 0; code < 256; code++) {
            DECODE[code] = (short) expand(code);
            DECODE_FLOAT[code] = DECODE[code];
        }
        for (int index = 0; index < ENCODE.length; index++) {
            final int pcm14 = (index << 18) >> 18; // sign-extend the 14-bit index
            ENCODE[index] = (byte) compress(pcm14 << 2);
        }
    }

    private MuLaw() {}

    /** Decodes one μ-law code to 16-bit linear PCM (range −32124..+32124). */
    public static short decode(byte code) {
        return DECODE[code & 0xFF];
    }

    /**
     * Encodes one 16-bit linear sample. Only the low 16 bits of {@code pcm16} are used (it is
     * treated as {@code (short) pcm16}), so pass values in −32768..32767.
     */
    public static byte encode(int pcm16) {
        return ENCODE[(pcm16 >> 2) & 0x3FFF];
    }

    /** Decodes {@code len} codes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        G711Tables.decode(DECODE, src, srcOff, dst, dstOff, len);
    }

    /**
     * Decodes {@code len} codes into floats on the same scale as {@link #decode(byte)} (±32124, not
     * normalised to ±1), so float and short pipelines agree sample for sample.
     */
    public static void decode(byte[] src, int srcOff, float[] dst, int dstOff, int len) {
        G711Tables.decode(DECODE_FLOAT, src, srcOff, dst, dstOff, len);
    }

    /** Encodes {@code len} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        G711Tables.encode(ENCODE, 2, 0x3FFF, src, srcOff, dst, dstOff, len);
    }

    /** G.711 Table 2a by the G.191 {@code ulaw_expand} arithmetic; used to build the table. */
    static int expand(int code) {
        final int b = ~code & 0xFF;
        final int exponent = (b >> 4) & 7;
        final int mantissa = b & 15;
        final int magnitude = 4 * (((2 * mantissa + 33) << exponent) - 33);
        return (b & 0x80) != 0 ? -magnitude : magnitude;
    }

    /** G.191 {@code ulaw_compress}: one's complement for negatives, bias 33, clamp at 8191. */
    static int compress(int pcm16) {
        int biased = (pcm16 >= 0 ? pcm16 >> 2 : ~pcm16 >> 2) + 33;
        if (biased > 8191) {
            biased = 8191;
        }
        final int segment = 31 - Integer.numberOfLeadingZeros(biased) - 5;
        final int mantissa = (biased >> (segment + 1)) & 15;
        final int code = ~((segment << 4) | mantissa) & 0x7F;
        return pcm16 >= 0 ? code | 0x80 : code;
    }
}
