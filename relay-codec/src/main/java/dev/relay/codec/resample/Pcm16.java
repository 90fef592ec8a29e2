package dev.relay.codec.resample;

/** Conversions between int16 PCM and the float samples the filters run on (same scale). */
final class Pcm16 {
    private Pcm16() {}

    /**
     * Rounds to nearest (ties up) and saturates to the int16 range; NaN becomes 0. Same result
     * as clamping {@link Math#round(float)}, cheaper: in double, {@code v + 0.5} is exact for every
     * float in range and {@code Math.floor} is a single instruction.
     */
    static short saturate(float v) {
        final float c = v > 32767f ? 32767f : (v < -32768f ? -32768f : v);
        return (short) (int) Math.floor(c + 0.5);
    }

    static void toFloat(short[] src, int srcOff, float[] dst, int dstOff, int len) {
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = src[srcOff + i];
        }
    }
}
