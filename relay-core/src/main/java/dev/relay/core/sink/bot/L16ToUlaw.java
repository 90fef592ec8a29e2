package dev.relay.core.sink.bot;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.Decimator;
import java.util.Arrays;

/**
 * The bot's L16 (PCM16 big-endian, 16 kHz) turned into the μ-law 8 kHz the call plays, as a stream:
 * relay-codec's {@link Decimator} (state carried across messages), then {@link MuLaw}.
 *
 * <p>Segments. A stretch of bot audio between two boundaries (the connection's start, a
 * {@code mark}, a {@code clear}) is transcoded exactly as the control API transcodes a pushed clip
 * ({@code UlawTranscoder}): the decimator's group delay ({@link Decimator#delaySamples()} outputs)
 * is skipped at the segment's start, and {@link #endSegment} flushes the filter's tail, so a segment
 * of {@code n} samples gives {@code ceil(n / 2)} μ-law bytes aligned with its input. Between
 * boundaries output follows input by the filter's delay (2.6 ms), so the last few samples of a
 * batch reach the call with the next batch.
 *
 * <p>A message may split a sample: the odd byte waits for the next message. IO loop only; allocates
 * its block buffers once.
 */
final class L16ToUlaw {
    /** Input samples per decimator call: 40 ms at 16 kHz. */
    private static final int BLOCK = 640;

    private final Decimator decimator = Decimator.to8k(16_000);
    private final short[] in = new short[BLOCK];
    private final short[] out = new short[BLOCK / 2 + 1];
    private final byte[] ulaw = new byte[BLOCK / 2 + 1];
    private final int delay = decimator.delaySamples();
    private int carry = -1;
    private long samplesIn;
    private long bytesOut;
    private int skip = delay;

    /** Transcodes {@code src[off, off + len)} and appends the μ-law that is complete to {@code dst}. */
    void convert(byte[] src, int off, int len, PlayoutBatch dst) {
        int i = off;
        final int end = off + len;
        int n = 0;
        if (carry >= 0 && i < end) {
            in[n++] = (short) (carry << 8 | src[i++] & 0xFF);
            carry = -1;
        }
        while (i + 1 < end) {
            in[n++] = (short) (src[i] << 8 | src[i + 1] & 0xFF);
            i += 2;
            if (n == BLOCK) {
                decimate(n, dst);
                n = 0;
            }
        }
        if (n > 0) {
            decimate(n, dst);
        }
        if (i < end) {
            carry = src[i] & 0xFF;
        }
    }

    /** Ends the segment: the filter's tail goes to {@code dst}, and the next audio starts afresh. */
    void endSegment(PlayoutBatch dst) {
        final long total = (samplesIn + 1) / 2;
        int zeros = (delay + 1) * decimator.factor();
        Arrays.fill(in, 0, Math.min(BLOCK, zeros), (short) 0);
        while (zeros > 0 && bytesOut < total) {
            final int k = Math.min(BLOCK, zeros);
            final int got = decimator.process(in, 0, k, out, 0);
            emit(got, total, dst);
            zeros -= k;
        }
        reset();
    }

    /** Forgets the segment (clear, or a lost connection). */
    void reset() {
        decimator.reset();
        carry = -1;
        samplesIn = 0;
        bytesOut = 0;
        skip = delay;
    }

    private void decimate(int n, PlayoutBatch dst) {
        samplesIn += n;
        final int got = decimator.process(in, 0, n, out, 0);
        emit(got, Long.MAX_VALUE, dst);
    }

    private void emit(int got, long limit, PlayoutBatch dst) {
        int first = Math.min(skip, got);
        skip -= first;
        int count = (int) Math.min(got - first, limit - bytesOut);
        if (count <= 0) {
            return;
        }
        MuLaw.encode(out, first, ulaw, 0, count);
        dst.append(ulaw, 0, count);
        bytesOut += count;
    }
}
