package dev.relay.codec.transcode;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.Decimator;
import java.util.Arrays;
import java.util.Objects;

/**
 * PCM16 bytes at 8, 16, 24 or 48 kHz, either byte order, into the μ-law 8 kHz a caller hears:
 * relay-codec's {@link Decimator} (skipped at 8 kHz), then {@link MuLaw}. The one down-conversion
 * of the relay, for bot streams ({@link #convert} per message) and pushed clips ({@link #clip}).
 *
 * <p>Segments. A segment is a stretch of audio between two boundaries (the start, an utterance's
 * end, an interruption). Its output is aligned with its input: the decimator's group delay
 * ({@link Decimator#delaySamples()} outputs) is skipped at the segment's start, and
 * {@link #endSegment} flushes the filter's tail with {@code (D+1)·M} zero samples, so a segment of
 * {@code n} input samples gives {@code ceil(n / M)} μ-law bytes and output sample {@code k} is the
 * filtered input at instant {@code M·k}. Within a segment output follows input by the filter's
 * delay (2.6 ms), so the last few samples of one call reach the sink with the next. Any split of a
 * segment into calls gives the same bytes.
 *
 * <p>A call may split a sample: the odd byte waits for the next call (and is dropped by
 * {@link #endSegment} or {@link #reset}). One instance per stream; not thread-safe; allocates its
 * block arrays once, never per call.
 */
public final class Pcm16ToUlaw8k {
    /** Where complete μ-law goes; the array is reused after {@code append} returns. */
    @FunctionalInterface
    public interface UlawSink {
        void append(byte[] ulaw, int off, int len);
    }

    /** Input samples per block: 40 ms at the input rate. */
    private static final int BLOCK_MS = 40;

    private final Decimator decimator;
    private final boolean bigEndian;
    private final int factor;
    private final int delay;
    private final short[] in;
    private final short[] out;
    private final byte[] ulaw;
    private int carry = -1;
    private long samplesIn;
    private long bytesOut;
    private int skip;

    /**
     * @param inputRateHz 8000, 16000, 24000 or 48000
     * @param bigEndian the byte order of the input's samples
     * @throws IllegalArgumentException for any other rate
     */
    public Pcm16ToUlaw8k(int inputRateHz, boolean bigEndian) {
        this.decimator = inputRateHz == 8000 ? null : Decimator.to8k(inputRateHz);
        this.bigEndian = bigEndian;
        this.factor = decimator == null ? 1 : decimator.factor();
        this.delay = decimator == null ? 0 : decimator.delaySamples();
        int block = inputRateHz / 1000 * BLOCK_MS;
        this.in = new short[block];
        this.out = new short[block / factor + 1];
        this.ulaw = new byte[block / factor + 1];
        this.skip = delay;
    }

    /** μ-law 8 kHz of a whole clip of PCM16 bytes {@code src[off, off + len)}: one segment, a new array. */
    public static byte[] clip(byte[] src, int off, int len, int inputRateHz, boolean bigEndian) {
        Objects.checkFromIndexSize(off, len, src.length);
        Pcm16ToUlaw8k transcoder = new Pcm16ToUlaw8k(inputRateHz, bigEndian);
        long samples = len / 2;
        byte[] result = new byte[(int) ((samples + transcoder.factor - 1) / transcoder.factor)];
        int[] filled = {0};
        UlawSink sink = (ulaw, o, n) -> {
            System.arraycopy(ulaw, o, result, filled[0], n);
            filled[0] += n;
        };
        transcoder.convert(src, off, len & ~1, sink);
        transcoder.endSegment(sink);
        return result;
    }

    /** Transcodes the PCM16 bytes {@code src[off, off + len)} and appends the μ-law that is complete to {@code dst}. */
    public void convert(byte[] src, int off, int len, UlawSink dst) {
        Objects.checkFromIndexSize(off, len, src.length);
        final int hi = bigEndian ? 0 : 1;
        final int lo = 1 - hi;
        final int end = off + len;
        int i = off;
        int n = 0;
        if (carry >= 0 && i < end) {
            int second = src[i++] & 0xFF;
            in[n++] = (short) (bigEndian ? carry << 8 | second : second << 8 | carry);
            carry = -1;
        }
        while (i + 1 < end) {
            in[n++] = (short) (src[i + hi] << 8 | src[i + lo] & 0xFF);
            i += 2;
            if (n == in.length) {
                block(n, dst);
                n = 0;
            }
        }
        if (n > 0) {
            block(n, dst);
        }
        if (i < end) {
            carry = src[i] & 0xFF;
        }
    }

    /** Ends the segment: the filter's tail goes to {@code dst}, and the next audio starts afresh. */
    public void endSegment(UlawSink dst) {
        if (decimator != null) {
            final long total = (samplesIn + factor - 1) / factor;
            int zeros = (delay + 1) * factor;
            Arrays.fill(in, 0, Math.min(in.length, zeros), (short) 0);
            while (zeros > 0 && bytesOut < total) {
                final int k = Math.min(in.length, zeros);
                emit(decimator.process(in, 0, k, out, 0), total, dst);
                zeros -= k;
            }
        }
        reset();
    }

    /** Forgets the segment (an interruption, or a lost connection). */
    public void reset() {
        if (decimator != null) {
            decimator.reset();
        }
        carry = -1;
        samplesIn = 0;
        bytesOut = 0;
        skip = delay;
    }

    private void block(int n, UlawSink dst) {
        samplesIn += n;
        if (decimator == null) {
            MuLaw.encode(in, 0, ulaw, 0, n);
            dst.append(ulaw, 0, n);
            bytesOut += n;
        } else {
            emit(decimator.process(in, 0, n, out, 0), Long.MAX_VALUE, dst);
        }
    }

    private void emit(int got, long limit, UlawSink dst) {
        final int first = Math.min(skip, got);
        skip -= first;
        final int count = (int) Math.min(got - first, limit - bytesOut);
        if (count <= 0) {
            return;
        }
        MuLaw.encode(out, first, ulaw, 0, count);
        dst.append(ulaw, 0, count);
        bytesOut += count;
    }
}
