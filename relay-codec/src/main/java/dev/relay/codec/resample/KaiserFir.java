package dev.relay.codec.resample;

/**
 * Kaiser-windowed sinc low-pass design, used once per filter at class initialisation.
 *
 * <p>The length and shape parameter follow Kaiser's empirical formulas (Oppenheim &amp; Schafer,
 * "Discrete-Time Signal Processing", §7.5.3): for a stopband attenuation of {@code A} dB and a
 * transition width {@code Δf} (cycles/sample), {@code L - 1 ≥ (A - 7.95) / (14.36 Δf)} and
 * {@code β = 0.1102 (A - 8.7)} when {@code A > 50}. The resulting filters meet their target
 * within a fraction of a decibel, which the resampler tests check by measurement.
 */
final class KaiserFir {
    private KaiserFir() {}

    /** Kaiser's β for a stopband attenuation in dB. */
    static double beta(double attenuationDb) {
        if (attenuationDb > 50) {
            return 0.1102 * (attenuationDb - 8.7);
        }
        if (attenuationDb >= 21) {
            final double a = attenuationDb - 21;
            return 0.5842 * Math.pow(a, 0.4) + 0.07886 * a;
        }
        return 0;
    }

    /**
     * The smallest odd length (so the group delay {@code (L-1)/2} is a whole number of samples)
     * reaching {@code attenuationDb} over a transition of {@code transitionWidth} cycles/sample.
     */
    static int oddLength(double attenuationDb, double transitionWidth) {
        int order = (int) Math.ceil((attenuationDb - 7.95) / (14.36 * transitionWidth));
        order += order & 1;
        return order + 1;
    }

    /**
     * A linear-phase low-pass with cutoff {@code 1 / (2 band)} cycles/sample and DC gain close to
     * 1 (not forced to exactly 1: rescaling would lift the stopband). It is an {@code band}-th
     * band (Nyquist) filter: taps a nonzero multiple of {@code band} away from the centre are
     * exactly zero, which the polyphase kernels exploit.
     *
     * @param length odd number of taps
     */
    static double[] nyquistLowpass(int length, int band, double beta) {
        if ((length & 1) == 0 || band < 1) {
            throw new IllegalArgumentException("length must be odd and band >= 1");
        }
        final int centre = (length - 1) / 2;
        final double i0Beta = besselI0(beta);
        final double[] h = new double[length];
        for (int k = 0; k < length; k++) {
            final int offset = k - centre;
            if (offset != 0 && offset % band == 0) {
                continue; // sin(pi * integer) is exactly zero; keep it so rather than ~1e-17
            }
            final double r = (double) offset / centre;
            final double window = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            h[k] = sinc((double) offset / band) / band * window;
        }
        return h;
    }

    /** Modified Bessel function of the first kind, order 0, by its power series. */
    static double besselI0(double x) {
        final double q = x * x / 4;
        double term = 1;
        double sum = 1;
        for (int k = 1; term > sum * 1e-17; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1;
        }
        final double px = Math.PI * x;
        return Math.sin(px) / px;
    }
}
