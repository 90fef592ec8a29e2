package dev.relay.codec.resample;

import java.util.Arrays;

/**
 * An even-length symmetric FIR over a float history, the inner loop of both half-band
 * resamplers: {@code out[t] = Σ_{i < P} c[i] · (x[t + 2P-1-i] + x[t + i])} for t in [0, n),
 * where P is the number of tap pairs (at most {@link #MAX_PAIRS}) and {@code x} holds
 * {@code 2P-1} older samples before the n new ones.
 *
 * <p>Speed rests on HotSpot C2's auto-vectoriser, so the loop shape is chosen for it:
 * <ul>
 *   <li>{@link Kernel#SHIFTED}, the default: the window is copied into 15 arrays shifted by
 *       1..15 samples, then each output sums {@code c'[s + 16q] · w_s[t + 16q]} over shifts s
 *       and q &lt; 3, two shifts per pass over the outputs, with {@link Math#fma}. Every float
 *       access in a loop is then {@code t} plus a constant multiple of 16. C2 in JDK 17 packs
 *       a loop only when its same-type accesses share one alignment and can be ordered against
 *       the store (constant relative offsets), which no sliding form has; this one it
 *       vectorises, and so does JDK 25. Eight shifts (offsets 8 apart) would halve the copies,
 *       but JDK 17 does not vectorise that on 16-lane AVX-512.
 *   <li>{@link Kernel#BLOCKED}: eight outputs at a time in scalar {@code float} accumulators,
 *       taps inner, pair-added. Never vectorised, so slower; kept as the fallback for a JVM that
 *       does not vectorise the default.
 * </ul>
 * The system property {@code relay.resample.kernel} ({@code shifted} or {@code blocked}) picks
 * one, e.g. to benchmark both. They differ only by float rounding (well under 0.01 of an int16
 * step). Each sums every output in a fixed order, so its result does not depend on how a stream
 * is cut into blocks.
 *
 * <p>One instance per stream, not thread-safe. The shifted copies hold nothing from one
 * {@link #apply} to the next, so they are scratch shared by every filter on a thread: kept per
 * instance they were the largest part of a call's heap.
 */
final class SymmetricFir {
    /** Two ways to compute the same filter. */
    enum Kernel { SHIFTED, BLOCKED }

    /** The {@link Kernel#SHIFTED} kernel sums at most three taps per shift. */
    static final int MAX_PAIRS = 24;
    /** Shifted copies: a multiple of every C2 float vector length (4, 8 or 16 lanes). */
    private static final int SHIFTS = 16;

    /** The kernel the resamplers' public constructors use. */
    static final Kernel DEFAULT = choose(System.getProperty("relay.resample.kernel", ""));

    private final Kernel kernel;
    private final int maxOutputs;
    /** Pair taps, outermost first, for {@link #blocked}. */
    private final float[] pairTaps;
    /** All 2P taps, {@code full[k]} multiplying {@code x[t + k]}, for the shifted kernel. */
    private final float[] full;
    /**
     * Per-thread scratch for the shifted kernel: {@code windows[s][j] = x[j + s]} during one
     * {@link #shifted} call; row 0 unused (x itself). Rows grow to the longest any filter on the
     * thread needs, so the steady state allocates nothing.
     */
    private static final ThreadLocal<float[][]> WINDOWS = ThreadLocal.withInitial(() -> new float[SHIFTS][0]);
    /** Row length this filter needs in {@link #WINDOWS}. */
    private final int windowLength;

    /**
     * @param pairTaps P tap values, the outermost (multiplying the oldest and newest sample) first
     * @param maxOutputs the largest n any call passes
     */
    SymmetricFir(double[] pairTaps, int maxOutputs, Kernel kernel) {
        final int pairs = pairTaps.length;
        if (pairs < 1 || pairs > MAX_PAIRS) {
            throw new IllegalArgumentException("1 to " + MAX_PAIRS + " tap pairs, got " + pairs);
        }
        this.kernel = kernel;
        this.maxOutputs = maxOutputs;
        this.pairTaps = new float[pairs];
        this.full = new float[2 * pairs];
        for (int i = 0; i < pairs; i++) {
            this.pairTaps[i] = (float) pairTaps[i];
            full[i] = this.pairTaps[i];
            full[2 * pairs - 1 - i] = this.pairTaps[i];
        }
        this.windowLength = maxOutputs + 2 * SHIFTS;
    }

    private static float[][] windows(int length) {
        final float[][] w = WINDOWS.get();
        if (w[1].length < length) {
            for (int s = 1; s < SHIFTS; s++) {
                w[s] = new float[length];
            }
        }
        return w;
    }

    /** {@link Kernel#BLOCKED} only when asked for by name. */
    static Kernel choose(String property) {
        return "blocked".equals(property) ? Kernel.BLOCKED : Kernel.SHIFTED;
    }

    /** Number of tap pairs P. */
    int pairs() {
        return pairTaps.length;
    }

    /**
     * Computes {@code out[0..n)} from {@code x[0 .. n + 2P - 1)}.
     *
     * @param n at most the constructor's {@code maxOutputs}
     */
    void apply(float[] x, float[] out, int n) {
        if (n > maxOutputs) {
            throw new IllegalArgumentException(n + " outputs, at most " + maxOutputs);
        }
        if (kernel == Kernel.SHIFTED) {
            shifted(x, out, n);
        } else {
            blocked(x, out, n);
        }
    }

    private void shifted(float[] x, float[] out, int n) {
        final float[] c = full;
        final int taps = c.length;
        final float[][] w = windows(windowLength);
        for (int s = 1; s < SHIFTS && s < taps; s++) {
            System.arraycopy(x, s, w[s], 0, n + SHIFTS * ((taps - 1 - s) / SHIFTS));
        }
        Arrays.fill(out, 0, n, 0f);
        // Shifts s and s + 1 (taps is even) have the same number of taps: (taps-1-s)/16 + 1.
        for (int s = 0; s < SHIFTS && s < taps; s += 2) {
            final float[] u = s == 0 ? x : w[s];
            final float[] v = w[s + 1];
            switch ((taps - 1 - s) / SHIFTS) {
                case 2:
                    pass6(out, u, v, c[s], c[s + 16], c[s + 32],
                            c[s + 1], c[s + 17], c[s + 33], n);
                    break;
                case 1:
                    pass4(out, u, v, c[s], c[s + 16], c[s + 1], c[s + 17], n);
                    break;
                default:
                    pass2(out, u, v, c[s], c[s + 1], n);
            }
        }
    }

    // Two shifts per pass halve the passes over out (faster than one on JDK 17); more terms per
    // loop stop C2 17 from vectorising it. fma keeps one rounding per tap.
    private static void pass6(float[] out, float[] u, float[] v, float a0, float a1, float a2,
            float b0, float b1, float b2, int n) {
        for (int t = 0; t < n; t++) {
            out[t] = Math.fma(b2, v[t + 32], Math.fma(b1, v[t + 16], Math.fma(b0, v[t],
                    Math.fma(a2, u[t + 32], Math.fma(a1, u[t + 16], Math.fma(a0, u[t], out[t]))))));
        }
    }

    private static void pass4(float[] out, float[] u, float[] v, float a0, float a1,
            float b0, float b1, int n) {
        for (int t = 0; t < n; t++) {
            out[t] = Math.fma(b1, v[t + 16], Math.fma(b0, v[t],
                    Math.fma(a1, u[t + 16], Math.fma(a0, u[t], out[t]))));
        }
    }

    private static void pass2(float[] out, float[] u, float[] v, float a0, float b0, int n) {
        for (int t = 0; t < n; t++) {
            out[t] = Math.fma(b0, v[t], Math.fma(a0, u[t], out[t]));
        }
    }

    private void blocked(float[] x, float[] out, int n) {
        final float[] c = pairTaps;
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
