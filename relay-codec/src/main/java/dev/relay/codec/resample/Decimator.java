package dev.relay.codec.resample;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming 16, 24 or 48 kHz → 8 kHz decimator: anti-alias FIR in polyphase form, computing only
 * the kept outputs.
 *
 * <p>Each factor M ∈ {2, 3, 6} has its own linear-phase Kaiser-windowed sinc, designed at class
 * initialisation for 100 dB over 3.4 → 4.6 kHz with cutoff 4 kHz (see {@link KaiserFir}): 87,
 * 131 and 259 taps. The cutoff is the output Nyquist, so every M-th tap is zero and those
 * taps are skipped. The 16 kHz filter is half-band: one input phase meets only the centre tap
 * (0.5), the other a symmetric 44-tap FIR, which runs on the vectorised {@link SymmetricFir};
 * 24 and 48 kHz use scalar register-blocked branches.
 *
 * <p>Quality, as {@code DecimatorTest} asserts for every rate: input tones at and above 4.6 kHz
 * come out at least 90 dB below a passband tone, passband ripple to 3.4 kHz within 0.1 dB; delay
 * 21 output samples (2.625 ms).
 *
 * <p>The group delay is a whole number of output samples, {@link #delaySamples()}: the kept
 * input phase is chosen so that output {@code n + D} falls on the instant of input sample
 * {@code M·n} (the filter centre {@code (L-1)/2} input samples back). Hence the first output
 * appears after {@code ((L-1)/2 mod M) + 1} input samples, and a call of {@code len} samples
 * writes {@link #outputLength(int)} samples, which depends on the phase left by earlier calls
 * when {@code len} is not a multiple of M. State, including that phase, carries across calls:
 * any split into frames gives bit-identical output to one call over the whole stream.
 *
 * <p>Buffers are allocated by the constructor; {@code process} never allocates. One instance
 * per stream; not thread-safe. {@code src} and {@code dst} must not overlap.
 */
public final class Decimator {
    private static final int OUTPUT_RATE_HZ = 8_000;
    /** Outputs per internal block: 20 ms at 8 kHz. */
    private static final int BLOCK_OUT = 160;

    private static final DecimatorDesign BY_2 = new DecimatorDesign(2, OUTPUT_RATE_HZ);
    private static final DecimatorDesign BY_3 = new DecimatorDesign(3, OUTPUT_RATE_HZ);
    private static final DecimatorDesign BY_6 = new DecimatorDesign(6, OUTPUT_RATE_HZ);

    private final DecimatorDesign design;
    private final int factor;
    private final int tapsPerPhase;
    private final int historyLen;
    private final int blockIn;
    /** {@code [historyLen old samples | up to blockIn new samples]}. */
    private final float[] history;
    /** One polyphase branch's input, de-interleaved so the inner loop is contiguous. */
    private final float[] branch;
    private final float[] acc = new float[BLOCK_OUT];
    /** The half-band (M = 2) path's FIR branch; null for the other factors. */
    private final SymmetricFir halfBand;
    /** Input samples still to take before the next output is complete (0..factor-1). */
    private int nextOut;

    private Decimator(DecimatorDesign design, SymmetricFir.Kernel kernel) {
        this.design = design;
        this.factor = design.factor;
        this.tapsPerPhase = design.tapsPerPhase;
        this.historyLen = factor * tapsPerPhase - 1;
        this.blockIn = BLOCK_OUT * factor;
        this.history = new float[historyLen + blockIn];
        this.branch = new float[tapsPerPhase - 1 + BLOCK_OUT];
        this.nextOut = design.outputPhase;
        this.halfBand = design.pairTaps == null
                ? null : new SymmetricFir(design.pairTaps, BLOCK_OUT, kernel);
    }

    /**
     * A new, silent decimator to 8 kHz.
     *
     * @param inputRateHz 16000, 24000 or 48000
     * @throws IllegalArgumentException for any other rate
     */
    public static Decimator to8k(int inputRateHz) {
        return to8k(inputRateHz, SymmetricFir.DEFAULT);
    }

    /** With an explicit kernel for the 16 kHz path, so tests cover each on any JDK. */
    static Decimator to8k(int inputRateHz, SymmetricFir.Kernel kernel) {
        switch (inputRateHz) {
            case 16_000:
                return new Decimator(BY_2, kernel);
            case 24_000:
                return new Decimator(BY_3, kernel);
            case 48_000:
                return new Decimator(BY_6, kernel);
            default:
                throw new IllegalArgumentException(
                        "input rate must be 16000, 24000 or 48000 Hz, got " + inputRateHz);
        }
    }

    /** Input sample rate in Hz. */
    public int inputRateHz() {
        return factor * OUTPUT_RATE_HZ;
    }

    /** Decimation factor M: input samples per output sample. */
    public int factor() {
        return factor;
    }

    /** Group delay D in 8 kHz output samples, exact: output {@code n + D} ≈ input {@code Mn}. */
    public int delaySamples() {
        return design.delay;
    }

    /** How many samples the next {@code process} call with {@code len} input samples writes. */
    public int outputLength(int len) {
        return len > nextOut ? (len - 1 - nextOut) / factor + 1 : 0;
    }

    /**
     * Decimates {@code len} int16 samples, rounding to nearest and saturating to int16.
     *
     * @return samples written at {@code dst[dstOff..]}: {@link #outputLength(int)} of len
     */
    public int process(short[] src, int srcOff, int len, short[] dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        final int total = outputLength(len);
        Objects.checkFromIndexSize(dstOff, total, dst.length);
        final float[] a = acc;
        int written = dstOff;
        for (int done = 0; done < len; ) {
            final int n = Math.min(blockIn, len - done);
            Pcm16.toFloat(src, srcOff + done, history, historyLen, n);
            final int out = filter(n);
            for (int i = 0; i < out; i++) {
                dst[written + i] = Pcm16.saturate(a[i]);
            }
            written += out;
            done += n;
        }
        return total;
    }

    /**
     * Decimates {@code len} float samples (same scale as int16, no rounding or clipping).
     *
     * @return samples written at {@code dst[dstOff..]}: {@link #outputLength(int)} of len
     */
    public int process(float[] src, int srcOff, int len, float[] dst, int dstOff) {
        Objects.checkFromIndexSize(srcOff, len, src.length);
        final int total = outputLength(len);
        Objects.checkFromIndexSize(dstOff, total, dst.length);
        int written = dstOff;
        for (int done = 0; done < len; ) {
            final int n = Math.min(blockIn, len - done);
            System.arraycopy(src, srcOff + done, history, historyLen, n);
            final int out = filter(n);
            System.arraycopy(acc, 0, dst, written, out);
            written += out;
            done += n;
        }
        return total;
    }

    /** Forgets all history and phase, as if newly constructed. Only for a new stream. */
    public void reset() {
        Arrays.fill(history, 0f);
        nextOut = design.outputPhase;
    }

    /**
     * Filters the {@code n} new samples at {@code history[historyLen..]} into {@code acc} and
     * returns how many outputs they completed. Output i is the input at block position
     * {@code s + M·i} (s = {@code nextOut}) convolved with the taps. Splitting tap k as
     * {@code M·j + r}, branch r reads every M-th sample; it is copied out once so that each
     * branch is a plain FIR over contiguous memory, eight outputs at a time in scalar
     * accumulators (only M = 2, the one on the call path, has the vectorised kernel). The sum
     * order per output is fixed, so frame sizes do not change the result.
     */
    private int filter(int n) {
        final int m = factor;
        final int s = nextOut;
        final int out = s < n ? (n - 1 - s) / m + 1 : 0;
        final float[] h = history;
        if (out > 0 && halfBand != null) {
            filterHalfBand(s, out);
        } else if (out > 0) {
            final float[] b = branch;
            final float[] a = acc;
            final int span = out + tapsPerPhase - 1;
            Arrays.fill(a, 0, out, 0f);
            for (int r = 0; r < m; r++) {
                // The oldest sample branch r needs; >= 0 because the taps fill m * tapsPerPhase.
                final int base = m - 1 + s - r;
                for (int q = 0; q < span; q++) {
                    b[q] = h[base + m * q];
                }
                accumulateBranch(design.branchTaps[r], design.branchOffset[r], out);
            }
        }
        nextOut = s + m * out - n;
        System.arraycopy(h, n, h, 0, historyLen);
        return out;
    }

    /**
     * The M = 2 case of {@link #filter}: one branch is a symmetric FIR, the other only the
     * centre tap (0.5, so exact), as in {@link HalfBandUpsampler} in reverse.
     */
    private void filterHalfBand(int s, int out) {
        final float[] h = history;
        final float[] b = branch;
        final float[] a = acc;
        final DecimatorDesign d = design;
        final int firBase = 1 + s - d.firBranch + 2 * d.branchOffset[d.firBranch];
        final int span = out + 2 * halfBand.pairs() - 1;
        for (int q = 0; q < span; q++) {
            b[q] = h[firBase + 2 * q];
        }
        halfBand.apply(b, a, out);
        final float centre = d.centreTap;
        final int centreBase = 1 + s - d.centreBranch + 2 * d.branchOffset[d.centreBranch];
        for (int i = 0; i < out; i++) {
            a[i] += centre * h[centreBase + 2 * i];
        }
    }

    /** {@code acc[i] += Σ_q taps[q] · branch[off + i + q]} for i in [0, out). */
    private void accumulateBranch(float[] taps, int off, int out) {
        final float[] b = branch;
        final float[] a = acc;
        final int len = taps.length;
        int i = 0;
        for (; i + 8 <= out; i += 8) {
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float s4 = 0;
            float s5 = 0;
            float s6 = 0;
            float s7 = 0;
            for (int q = 0; q < len; q++) {
                final float c = taps[q];
                final int p = off + i + q;
                s0 += c * b[p];
                s1 += c * b[p + 1];
                s2 += c * b[p + 2];
                s3 += c * b[p + 3];
                s4 += c * b[p + 4];
                s5 += c * b[p + 5];
                s6 += c * b[p + 6];
                s7 += c * b[p + 7];
            }
            a[i] += s0;
            a[i + 1] += s1;
            a[i + 2] += s2;
            a[i + 3] += s3;
            a[i + 4] += s4;
            a[i + 5] += s5;
            a[i + 6] += s6;
            a[i + 7] += s7;
        }
        for (; i < out; i++) {
            float sum = 0;
            for (int q = 0; q < len; q++) {
                sum += taps[q] * b[off + i + q];
            }
            a[i] += sum;
        }
    }
}
