package dev.relay.codec.resample;

/**
 * Kernels for an even-length symmetric FIR over a float history:
 * {@code out[t] = Σ_{i < P} c[i] · (x[t + 2P-1-i] + x[t + i])} for t in [0, n), where P is the
 * number of tap pairs and {@code x} holds {@code 2P-1} older samples before the n new ones.
 *
 * <p>Two forms, because HotSpot's auto-vectoriser (measured on this project's 2-core Xeon VM,
 * 24 pairs, 160 outputs):
 * <ul>
 *   <li>{@link #tapsOuter}: taps outer, samples inner, accumulating in a {@code double[]}. C2 in
 *       JDK 25 vectorises it (~0.9 µs); the {@code double} accumulator matters, as C2 cannot
 *       rule out that a {@code float[]} store aliases the {@code float[]} loads at other
 *       offsets, and then does not vectorise. JDK 17 does not vectorise it at all (~5 µs).
 *   <li>{@link #blocked}: eight outputs at a time in scalar {@code float} accumulators, taps
 *       inner. Never vectorised, but the best scalar form (~2 µs on JDK 17 and 25).
 * </ul>
 * {@link #TAPS_OUTER} picks one per JVM; the system property {@code relay.resample.kernel}
 * ({@code blocked} or {@code tapsOuter}) overrides it, e.g. to benchmark both. The two differ
 * only by float rounding (well under 0.01 of an int16 step). Each sums every output in a fixed
 * order, so its result does not depend on how a stream is cut into blocks.
 */
final class SymmetricFir {
    /** Whether {@link #tapsOuter} is the default kernel in this JVM. */
    static final boolean TAPS_OUTER = choose(
            System.getProperty("relay.resample.kernel", "auto"), Runtime.version().feature());

    private SymmetricFir() {}

    /** JDK 25 is the first release measured to vectorise {@link #tapsOuter}. */
    static boolean choose(String property, int jdkFeature) {
        switch (property) {
            case "blocked":
                return false;
            case "tapsOuter":
                return true;
            default:
                return jdkFeature >= 25;
        }
    }

    /** The vectorisable form; {@code wide} is scratch of at least n. */
    static void tapsOuter(float[] x, double[] c, double[] wide, float[] out, int n) {
        final int pairs = c.length;
        final int span = 2 * pairs - 1;
        final double c0 = c[0];
        for (int t = 0; t < n; t++) {
            wide[t] = c0 * (double) (x[span + t] + x[t]);
        }
        for (int i = 1; i < pairs; i++) {
            final double ci = c[i];
            final int hi = span - i;
            for (int t = 0; t < n; t++) {
                wide[t] += ci * (double) (x[hi + t] + x[i + t]);
            }
        }
        for (int t = 0; t < n; t++) {
            out[t] = (float) wide[t];
        }
    }

    /** The scalar register-blocked form. */
    static void blocked(float[] x, float[] c, float[] out, int n) {
        final int pairs = c.length;
        final int span = 2 * pairs - 1;
        int t = 0;
        for (; t + 8 <= n; t += 8) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int i = 0; i < pairs; i++) {
                final float ci = c[i];
                final int lo = t + i;
                final int hi = t + span - i;
                s0 += ci * (x[hi] + x[lo]);
                s1 += ci * (x[hi + 1] + x[lo + 1]);
                s2 += ci * (x[hi + 2] + x[lo + 2]);
                s3 += ci * (x[hi + 3] + x[lo + 3]);
                s4 += ci * (x[hi + 4] + x[lo + 4]);
                s5 += ci * (x[hi + 5] + x[lo + 5]);
                s6 += ci * (x[hi + 6] + x[lo + 6]);
                s7 += ci * (x[hi + 7] + x[lo + 7]);
            }
            out[t] = s0;
            out[t + 1] = s1;
            out[t + 2] = s2;
            out[t + 3] = s3;
            out[t + 4] = s4;
            out[t + 5] = s5;
            out[t + 6] = s6;
            out[t + 7] = s7;
        }
        for (; t < n; t++) {
            float s = 0;
            for (int i = 0; i < pairs; i++) {
                s += c[i] * (x[t + span - i] + x[t + i]);
            }
            out[t] = s;
        }
    }
}
