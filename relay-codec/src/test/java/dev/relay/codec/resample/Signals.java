package dev.relay.codec.resample;

/** Test-only signal generation and measurement: tones, windowed DFT, FFT, μ-law decode. */
final class Signals {
    private Signals() {}

    /**
     * 7-term Blackman-Harris (Albrecht 2001) coefficients: sidelobes near -180 dB, so a strong
     * tone leaks nothing measurable at the 100+ dB levels these tests look for.
     */
    private static final double[] BH7 = {
        0.27105140069342, 0.43329793923448, 0.21812299954311, 0.06592544638803,
        0.01081174209837, 0.00077658482522, 0.00001388721735,
    };

    static float[] sine(int n, double freqHz, double rateHz, double amplitude) {
        final float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * freqHz * i / rateHz));
        }
        return x;
    }

    /**
     * Peak amplitude of the component at {@code freqHz} in {@code x[off..off+n)}, by a
     * Blackman-Harris windowed DFT evaluated at exactly that frequency.
     */
    static double toneAmplitude(float[] x, int off, int n, double freqHz, double rateHz) {
        double re = 0;
        double im = 0;
        double windowSum = 0;
        final double w = 2 * Math.PI * freqHz / rateHz;
        for (int i = 0; i < n; i++) {
            final double win = bh7(i, n);
            windowSum += win;
            final double v = win * x[off + i];
            re += v * Math.cos(w * i);
            im -= v * Math.sin(w * i);
        }
        return 2 * Math.hypot(re, im) / windowSum;
    }

    private static double bh7(int i, int n) {
        final double phase = 2 * Math.PI * i / n;
        double sum = 0;
        for (int k = 0; k < BH7.length; k++) {
            sum += ((k & 1) == 0 ? 1 : -1) * BH7[k] * Math.cos(k * phase);
        }
        return sum;
    }

    static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    /** Power in each FFT bin of {@code x} zero-padded to {@code nfft} (a power of two). */
    static double[] powerSpectrum(double[] x, int nfft) {
        final double[] re = new double[nfft];
        final double[] im = new double[nfft];
        System.arraycopy(x, 0, re, 0, x.length);
        fft(re, im);
        final double[] p = new double[nfft];
        for (int k = 0; k < nfft; k++) {
            p[k] = re[k] * re[k] + im[k] * im[k];
        }
        return p;
    }

    /**
     * SNR of {@code signal} against {@code error} in dB, counting only frequencies outside
     * {@code (excludeLowHz, excludeHighHz)}; both bounds 0 means the whole band.
     */
    static double snrDb(double[] signal, double[] error, double rateHz,
            double excludeLowHz, double excludeHighHz) {
        int nfft = Integer.highestOneBit(signal.length);
        nfft = nfft == signal.length ? nfft : nfft * 2;
        final double[] ps = powerSpectrum(signal, nfft);
        final double[] pe = powerSpectrum(error, nfft);
        double s = 0;
        double e = 0;
        for (int k = 0; k < nfft; k++) {
            final double f = Math.min(k, nfft - k) * rateHz / nfft;
            if (f > excludeLowHz && f < excludeHighHz) {
                continue;
            }
            s += ps[k];
            e += pe[k];
        }
        return 10 * Math.log10(s / e);
    }

    /** In-place iterative radix-2 complex FFT. */
    static void fft(double[] re, double[] im) {
        final int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            final double ang = -2 * Math.PI / len;
            for (int k = 0; k < len / 2; k++) {
                final double wr = Math.cos(ang * k);
                final double wi = Math.sin(ang * k);
                for (int i = 0; i < n; i += len) {
                    final int a = i + k;
                    final int b = a + len / 2;
                    final double xr = re[b] * wr - im[b] * wi;
                    final double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /** G.711 μ-law expansion by the formula in testdata README §1 (16-bit scale). */
    static short[] ulawDecode(byte[] codes) {
        final short[] out = new short[codes.length];
        for (int i = 0; i < codes.length; i++) {
            final int b = ~codes[i] & 0xFF;
            final int e = (b >> 4) & 7;
            final int m = b & 15;
            final int v = 4 * (((2 * m + 33) << e) - 33);
            out[i] = (short) ((b & 0x80) != 0 ? -v : v);
        }
        return out;
    }

    static float[] toFloat(short[] x) {
        final float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = x[i];
        }
        return f;
    }
}
