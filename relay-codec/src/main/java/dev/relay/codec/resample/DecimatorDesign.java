package dev.relay.codec.resample;

/**
 * One {@link Decimator} factor's filter, designed once and shared by all its instances
 * (immutable): the Kaiser prototype for 100 dB over 3.4 → 4.6 kHz at the output rate, split into
 * its M polyphase branches.
 */
final class DecimatorDesign {
    private static final double PASSBAND_HZ = 3_400;
    private static final double STOPBAND_HZ = 4_600;
    private static final double STOPBAND_DB = 100;

    final int factor;
    /** Taps per polyphase branch (the prototype zero-padded to a multiple of the factor). */
    final int tapsPerPhase;
    /**
     * Branch r's nonzero taps {@code h[M·j + r]}, newest-sample tap last, so that output i
     * gets {@code Σ_q branchTaps[r][q] · branch[branchOffset[r] + i + q]}. The branch holding
     * the centre has only that tap: the others in it are the Nyquist filter's zeros.
     */
    final float[][] branchTaps;
    final int[] branchOffset;
    /** Input position mod factor whose arrival completes an output. */
    final int outputPhase;
    final int delay;
    /**
     * For M = 2 only (else null): the branch without the centre as {@link SymmetricFir}
     * pair taps, which branch that is, and the centre's branch and value.
     */
    final double[] pairTaps;
    final int firBranch;
    final int centreBranch;
    final float centreTap;

    DecimatorDesign(int factor, double outputRateHz) {
        final double inputRateHz = outputRateHz * factor;
        final int length = KaiserFir.oddLength(
                STOPBAND_DB, (STOPBAND_HZ - PASSBAND_HZ) / inputRateHz);
        final double[] h =
                KaiserFir.nyquistLowpass(length, factor, KaiserFir.beta(STOPBAND_DB));
        final int centre = (length - 1) / 2;
        this.factor = factor;
        this.tapsPerPhase = (length + factor - 1) / factor;
        this.branchTaps = new float[factor][];
        this.branchOffset = new int[factor];
        for (int r = 0; r < factor; r++) {
            int lo = Integer.MAX_VALUE;
            int hi = -1;
            for (int j = 0; j < tapsPerPhase; j++) {
                final int k = factor * j + r;
                if (k < length && h[k] != 0) {
                    lo = Math.min(lo, j);
                    hi = j;
                }
            }
            branchTaps[r] = new float[hi - lo + 1];
            for (int q = 0; q <= hi - lo; q++) {
                branchTaps[r][q] = (float) h[factor * (hi - q) + r];
            }
            branchOffset[r] = tapsPerPhase - 1 - hi;
        }
        this.outputPhase = centre % factor;
        this.delay = centre / factor;
        this.centreBranch = centre % factor;
        this.centreTap = (float) h[centre];
        if (factor == 2) {
            this.firBranch = 1 - centreBranch;
            final float[] fir = branchTaps[firBranch];
            if ((fir.length & 1) != 0) {
                throw new IllegalStateException("half-band length must be 3 mod 4");
            }
            this.pairTaps = new double[fir.length / 2];
            for (int i = 0; i < pairTaps.length; i++) {
                pairTaps[i] = h[2 * (tapsPerPhase - 1 - branchOffset[firBranch] - i)
                        + firBranch];
            }
        } else {
            this.firBranch = -1;
            this.pairTaps = null;
        }
    }
}
