package dev.relay.codec.g711;

import java.util.Objects;

/**
 * The bulk loops shared by {@link MuLaw} and {@link ALaw}: a law is its decode tables and an encode
 * table indexed by {@code (pcm16 >> shift) & mask}. Static and tiny so C2 inlines them into callers.
 */
final class G711Tables {
    private G711Tables() {}

    static void decode(short[] table, byte[] src, int srcOff, short[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    static void decode(float[] table, byte[] src, int srcOff, float[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[src[srcOff + i] & 0xFF];
        }
    }

    static void encode(byte[] table, int shift, int mask, short[] src, int srcOff, byte[] dst, int dstOff, int len) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        Objects.checkFromIndexSize(dstOff, len, dst.length);
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = table[(src[srcOff + i] >> shift) & mask];
        }
    }
}
