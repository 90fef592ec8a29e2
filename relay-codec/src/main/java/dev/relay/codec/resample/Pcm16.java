package dev.relay.codec.resample;

/** Conversions between int16 PCM and the float samples the filters run on (same scale). */
final class Pcm16 {
    private Pcm16() {}

    /** Rounds to nearest (ties up) and saturates to the int16 range; NaN becomes 0. */
    static short saturate(float v) {
        final int r = Math.round(v);
        return (short) (r > Short.MAX_VALUE ? Short.MAX_VALUE : Math.max(r, Short.MIN_VALUE));
    }

    static void toFloat(short[] src, int srcOff, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i];
        }
    }
}
