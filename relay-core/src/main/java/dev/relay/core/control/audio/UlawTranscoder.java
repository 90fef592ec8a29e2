package dev.relay.core.control.audio;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.Decimator;
import java.util.Arrays;

/**
 * Turns a pushed clip into the μ-law 8 kHz the provider plays: μ-law passes through, PCM16 at
 * 8 kHz is encoded, PCM16 at 16/24/48 kHz goes through relay-codec's {@link Decimator} first.
 *
 * <p>A clip is a whole utterance, so unlike the streaming call path the decimator's delay is
 * removed: the clip is followed by {@code (D+1)·M} zero samples to flush the filter, and the first
 * {@code D} outputs (the group delay, {@link Decimator#delaySamples()}) are dropped. Output sample
 * {@code k} is then the filtered input at instant {@code M·k}, and a clip of {@code n} input
 * samples gives {@code ceil(n / M)} μ-law bytes, so durations are preserved.
 *
 * <p>Works in fixed chunks: besides the result it allocates two small scratch arrays, whatever
 * the clip's length. Stateless between calls; thread-safe (each call has its own decimator).
 */
public final class UlawTranscoder {
    /** Input samples per decimator call: 100 ms at 48 kHz, a multiple of every factor. */
    private static final int CHUNK = 4800;

    private UlawTranscoder() {}

    /** μ-law 8 kHz mono for {@code audio}; a new array, never the request body. */
    public static byte[] toUlaw(PushedAudio audio) {
        byte[] src = audio.body();
        int off = audio.offset();
        if (!audio.pcm16()) {
            return Arrays.copyOfRange(src, off, off + audio.length());
        }
        int n = audio.samples();
        boolean be = audio.bigEndian();
        if (audio.rateHz() == 8000) {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = MuLaw.encode(sample(src, off + 2 * i, be));
            }
            return out;
        }
        return decimate(src, off, n, be, Decimator.to8k(audio.rateHz()));
    }

    private static byte[] decimate(byte[] src, int off, int n, boolean be, Decimator decimator) {
        final int m = decimator.factor();
        final int outCount = (n + m - 1) / m;
        final int total = n + (decimator.delaySamples() + 1) * m;
        final byte[] out = new byte[outCount];
        final short[] in = new short[CHUNK];
        final short[] dec = new short[CHUNK / m + 1];
        int skip = decimator.delaySamples();
        int written = 0;
        for (int pos = 0; pos < total && written < outCount; pos += CHUNK) {
            final int k = Math.min(CHUNK, total - pos);
            final int real = Math.max(0, Math.min(k, n - pos));
            for (int i = 0; i < real; i++) {
                in[i] = sample(src, off + 2 * (pos + i), be);
            }
            Arrays.fill(in, real, k, (short) 0);
            final int got = decimator.process(in, 0, k, dec, 0);
            int i = Math.min(skip, got);
            skip -= i;
            for (; i < got && written < outCount; i++) {
                out[written++] = MuLaw.encode(dec[i]);
            }
        }
        return out;
    }

    private static short sample(byte[] b, int i, boolean bigEndian) {
        return bigEndian
                ? (short) ((b[i] << 8) | (b[i + 1] & 0xFF))
                : (short) ((b[i + 1] << 8) | (b[i] & 0xFF));
    }

    /** Playing time of {@code ulawBytes} μ-law bytes at 8 kHz, in milliseconds (rounded down). */
    public static long durationMs(int ulawBytes) {
        return ulawBytes / 8L;
    }
}
