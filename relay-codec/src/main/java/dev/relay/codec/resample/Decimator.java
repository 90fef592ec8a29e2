package dev.relay.codec.resample;

import java.util.Arrays;
import java.util.Objects;

/**
 * Streaming 16, 24 or 48 kHz → 8 kHz decimator: anti-alias FIR in polyphase form, computing only
 * the kept outputs.
 *
 * <p>Each factor M ∈ {2, 3, 6} has its own linear-phase Kaiser-windowed sinc, designed at class
 * initialisation for 100 dB over 3.4 → 4.6 kHz with cutoff 4 kHz (see {@link KaiserFir}): 87,
 * 131 and 259 taps. The cutoff is the output Nyquist, so every M-th tap is zero (the 16 kHz
 * filter is half-band) and those taps are skipped.
 *
 * <p>Measured ({@code DecimatorTest}, float output): alias rejection for input tones ≥ 4.6 kHz
 * at least 99.9 dB (16 kHz), 100.2 dB (24 kHz), 99.9 dB (48 kHz); passband ripple to 3.4 kHz
 * below 0.0002 dB.
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
    private static final double OUTPUT_RATE_HZ = 8_000;
    private static final double PASSBAND_HZ = 3_400;
    private static final double STOPBAND_HZ = 4_600;
    private static final double STOPBAND_DB = 100;
    /** Outputs per internal block: 20 ms at 8 kHz. */
    private static final int BLOCK_OUT = 160;

    private static final Design BY_2 = new Design(2);
    private static final Design BY_3 = new Design(3);
    private static final Design BY_6 = new Design(6);

    private final Design design;
    private final int factor;
    private final int tapsPerPhase;
    private final float[] taps;
    private final int historyLen;
    private final int blockIn;
    /** {@code [historyLen old samples | up to blockIn new samples]}. */
    private final float[] history;
    /** One polyphase branch's input, de-interleaved so the inner loop is contiguous. */
    private final float[] branch;
    private final float[] acc = new float[BLOCK_OUT];
    /** Input samples still to take before the next output is complete (0..factor-1). */
    private int nextOut;

    private Decimator(Design design) {
        this.design = design;
        this.factor = design.factor;
        this.tapsPerPhase = design.tapsPerPhase;
        this.taps = design.taps;
        this.historyLen = design.taps.length - 1;
        this.blockIn = BLOCK_OUT * factor;
        this.history = new float[historyLen + blockIn];
        this.branch = new float[tapsPerPhase - 1 + BLOCK_OUT];
        this.nextOut = design.outputPhase;
    }

    /**
     * A new, silent decimator to 8 kHz.
     *
     * @param inputRateHz 16000, 24000 or 48000
     * @throws IllegalArgumentException for any other rate
     */
    public static Decimator to8k(int inputRateHz) {
        switch (inputRateHz) {
            case 16_000:
                return new Decimator(BY_2);
            case 24_000:
                return new Decimator(BY_3);
            case 48_000:
                return new Decimator(BY_6);
            default:
                throw new IllegalArgumentException(
                        "input rate must be 16000, 24000 or 48000 Hz, got " + inputRateHz);
        }
    }

    /** Input sample rate in Hz. */
    public int inputRateHz() {
        return factor * (int) OUTPUT_RATE_HZ;
    }

    /** Decimation factor M: input samples per output sample. */
    public int factor() {
        return factor;
    }

    /** Group delay D in 8 kHz output samples (exact): output {@code n + D} ≈ input {@code M·n}. */
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
     * @return samples written at {@code dst[dstOff..]}, {@link #outputLength(int) outputLength(len)}
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
     * @return samples written at {@code dst[dstOff..]}, {@link #outputLength(int) outputLength(len)}
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
     * {@code s + M·i} (s = {@code nextOut}) convolved with the taps; splitting tap k as
     * {@code M·j + r}, branch r reads every M-th sample, which is copied out once so the
     * multiply-add runs over contiguous memory with taps outer and outputs inner.
     */
    private int filter(int n) {
        final int m = factor;
        final int s = nextOut;
        final int out = s < n ? (n - 1 - s) / m + 1 : 0;
        final float[] h = history;
        if (out > 0) {
            final float[] b = branch;
            final float[] a = acc;
            final float[] c = taps;
            final int perPhase = tapsPerPhase;
            final int span = out + perPhase - 1;
            Arrays.fill(a, 0, out, 0f);
            for (int r = 0; r < m; r++) {
                // The oldest sample branch r needs; >= 0 because taps.length == m * perPhase.
                final int base = m - 1 + s - r;
                for (int q = 0; q < span; q++) {
                    b[q] = h[base + m * q];
                }
                for (int j = 0; j < perPhase; j++) {
                    final float cj = c[m * j + r];
                    if (cj == 0f) {
                        continue;
                    }
                    final int off = perPhase - 1 - j;
                    for (int i = 0; i < out; i++) {
                        a[i] += cj * b[off + i];
                    }
                }
            }
        }
        nextOut = s + m * out - n;
        System.arraycopy(h, n, h, 0, historyLen);
        return out;
    }

    /** One factor's filter, shared by all its instances (immutable). */
    private static final class Design {
        final int factor;
        /** Taps zero-padded at the end to a multiple of the factor. */
        final float[] taps;
        final int tapsPerPhase;
        /** Input position mod factor whose arrival completes an output. */
        final int outputPhase;
        final int delay;

        Design(int factor) {
            final double inputRateHz = OUTPUT_RATE_HZ * factor;
            final int length = KaiserFir.oddLength(
                    STOPBAND_DB, (STOPBAND_HZ - PASSBAND_HZ) / inputRateHz);
            final double[] h =
                    KaiserFir.nyquistLowpass(length, factor, KaiserFir.beta(STOPBAND_DB));
            final int centre = (length - 1) / 2;
            this.factor = factor;
            this.tapsPerPhase = (length + factor - 1) / factor;
            this.taps = new float[tapsPerPhase * factor];
            for (int k = 0; k < length; k++) {
                taps[k] = (float) h[k];
            }
            this.outputPhase = centre % factor;
            this.delay = centre / factor;
        }
    }
}
