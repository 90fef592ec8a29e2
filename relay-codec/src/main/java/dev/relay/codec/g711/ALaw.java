package dev.relay.codec.g711;


/**
 * ITU-T G.711 A-law (PCMA, RTP payload type 8), bit-exact with the G.191 STL {@code alaw_expand}
 * and {@code alaw_compress}.
 *
 * <p>Scale: 16-bit linear PCM with the 13-bit G.711 value left-justified (×8), so decoded samples
 * lie in ±8..±32256: {@code 0xD5} decodes to +8, {@code 0x55} to −8, {@code 0xAA} to +32256. A-law
 * has no code for zero; {@link #SILENCE} is the smallest positive step. The encoder looks only at
 * {@code pcm16 >> 4}, as G.191 does.
 *
 * <p>Every method is a table lookup: no allocation, no state, safe from any thread. Bulk methods
 * check their bounds once up front and throw {@link IndexOutOfBoundsException} before touching
 * {@code dst} when a range does not fit.
 */
public final class ALaw {
    /** The code nearest zero signal (+8); what a silent A-law frame is filled with. */
    public static final byte SILENCE = (byte) 0xD5;

    private static final short[] DECODE = new short[256];
    private static final float[] DECODE_FLOAT = new float[256];
    /** Indexed by the 12-bit two's-complement value {@code (pcm16 >> 4) & 0xFFF}. */
    private static final byte[] ENCODE = new byte[1 << 12];

    static {
        for (int code = 0; code < 256; code++) {
            DECODE[code] = (short) expand(code);
            DECODE_FLOAT[code] = DECODE[code];
        }
        for (int index = 0; index < ENCODE.length; index++) {
            final int pcm12 = (index << 20) >> 20; // sign-extend the 12-bit index
            ENCODE[index] = (byte) compress(pcm12 << 4);
        }
    }

    private ALaw() {}

    /** Decodes one A-law code to 16-bit linear PCM (range −32256..+32256, never 0). */
    public static short decode(byte code) {
        return DECODE[code & 0xFF];
    }

    /**
     * Encodes one 16-bit linear sample. Only the low 16 bits of {@code pcm16} are used (it is
     * treated as {@code (short) pcm16}), so pass values in −32768..32767.
     */
    public static byte encode(int pcm16) {
        return ENCODE[(pcm16 >> 4) & 0xFFF];
    }

    /** Decodes {@code len} codes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void decode(byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        G711Tables.decode(DECODE, src, srcOff, dst, dstOff, len);
    }

    /** Decodes {@code len} codes into floats on the same scale as {@link #decode(byte)} (±32256). */
    public static void decode(byte[] src, int srcOff, float[] dst, int dstOff, int len) {
        G711Tables.decode(DECODE_FLOAT, src, srcOff, dst, dstOff, len);
    }

    /** Encodes {@code len} samples from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void encode(short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        G711Tables.encode(ENCODE, 4, 0xFFF, src, srcOff, dst, dstOff, len);
    }

    /** G.191 {@code alaw_expand}: undo the even-bit inversion, rebuild the mid-riser value. */
    static int expand(int code) {
        final int b = (code ^ 0x55) & 0x7F;
        final int exponent = b >> 4;
        int mantissa = b & 0x0F;
        if (exponent > 0) {
            mantissa += 16; // the implicit leading one of segments 1..7
        }
        mantissa = (mantissa << 4) + 8;
        if (exponent > 1) {
            mantissa <<= exponent - 1;
        }
        return (code & 0x80) != 0 ? mantissa : -mantissa;
    }

    /** G.191 {@code alaw_compress}: one's complement for negatives, then segment search. */
    static int compress(int pcm16) {
        int magnitude = pcm16 >= 0 ? pcm16 >> 4 : ~pcm16 >> 4;
        if (magnitude > 15) {
            int exponent = 1;
            while (magnitude > 16 + 15) {
                magnitude >>= 1;
                exponent++;
            }
            magnitude = magnitude - 16 + (exponent << 4);
        }
        if (pcm16 >= 0) {
            magnitude |= 0x80;
        }
        return magnitude ^ 0x55;
    }
}
