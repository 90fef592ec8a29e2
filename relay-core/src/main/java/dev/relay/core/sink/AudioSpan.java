package dev.relay.core.sink;

import dev.relay.codec.g711.MuLaw;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A span of a call's audio timeline of variable length (an even number of 16 kHz samples, up to
 * {@link #MAX_SAMPLES_16K} = 120 ms), handed to every sink of the call in turn. Not a 20 ms
 * frame: the pipeline emits what one packet or one concealed gap holds.
 *
 * <p>A flyweight: the pipeline owns and reuses the arrays, so a sink copies what it keeps before
 * {@link Sink#onAudio} returns. Both rates are present: 8 kHz as decoded from the telephony codec
 * and 16 kHz after the half-band upsampler. When the call's source was already 16 kHz (raw PCM),
 * the 8 kHz view is its decimation.
 *
 * <p>The byte forms sinks send or store ({@link #pcm16kLittleEndian}, {@link #pcm8kLittleEndian},
 * {@link #ulaw8k}) are built by the first sink that asks after each {@link #set} and shared by the
 * rest: a call's sinks mostly want the same bytes, and one conversion into one array keeps a
 * call's working set small when many calls share a core's caches.
 *
 * <p>Threads: the call's media thread only.
 */
public final class AudioSpan {
    /** Longest span, in 16 kHz samples (120 ms), that the pipeline emits in one piece. */
    public static final int MAX_SAMPLES_16K = 1920;

    private static final VarHandle SHORT_LE =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int BUILT_LE_16K = 1;
    private static final int BUILT_LE_8K = 2;
    private static final int BUILT_ULAW_8K = 4;

    final short[] pcm16k = new short[MAX_SAMPLES_16K];
    final short[] pcm8k = new short[MAX_SAMPLES_16K / 2];
    int samples16k;
    long startSample16k;
    long arrivalNanos;
    boolean concealed;
    /** The byte forms, allocated when a sink of the call first wants each (once per call). */
    private byte[] le16k;
    private byte[] le8k;
    private byte[] ulaw8k;
    /** Which byte forms hold this fill's samples: {@code BUILT_*} bits, cleared by {@link #set}. */
    private int built;

    /** PCM16 samples at 16 kHz; valid from 0 to {@link #samples16k()}. */
    public short[] pcm16k() {
        return pcm16k;
    }

    /** PCM16 samples at 8 kHz; valid from 0 to {@link #samples8k()}. */
    public short[] pcm8k() {
        return pcm8k;
    }

    public int samples16k() {
        return samples16k;
    }

    public int samples8k() {
        return samples16k >> 1;
    }

    /** Position of the first sample in the call's 16 kHz timeline, from 0 at call start. */
    public long startSample16k() {
        return startSample16k;
    }

    /** Clock reading when the telephony packet that completed this span arrived. */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    /** {@link #pcm16k} as PCM16 little-endian, 2 bytes per sample: valid to {@code samples16k() * 2}. */
    public byte[] pcm16kLittleEndian() {
        if ((built & BUILT_LE_16K) == 0) {
            if (le16k == null) {
                le16k = new byte[MAX_SAMPLES_16K * 2];
            }
            toLittleEndian(pcm16k, samples16k, le16k);
            built |= BUILT_LE_16K;
        }
        return le16k;
    }

    /** {@link #pcm8k} as PCM16 little-endian, 2 bytes per sample: valid to {@code samples8k() * 2}. */
    public byte[] pcm8kLittleEndian() {
        if ((built & BUILT_LE_8K) == 0) {
            if (le8k == null) {
                le8k = new byte[MAX_SAMPLES_16K];
            }
            toLittleEndian(pcm8k, samples8k(), le8k);
            built |= BUILT_LE_8K;
        }
        return le8k;
    }

    /** {@link #pcm8k} as G.711 μ-law, a byte per sample: valid to {@code samples8k()}. */
    public byte[] ulaw8k() {
        if ((built & BUILT_ULAW_8K) == 0) {
            if (ulaw8k == null) {
                ulaw8k = new byte[MAX_SAMPLES_16K / 2];
            }
            MuLaw.encode(pcm8k, 0, ulaw8k, 0, samples8k());
            built |= BUILT_ULAW_8K;
        }
        return ulaw8k;
    }

    /** A 16-bit store per sample; C2 turns the view access into one plain {@code mov}. */
    private static void toLittleEndian(short[] samples, int n, byte[] out) {
        for (int i = 0; i < n; i++) {
            SHORT_LE.set(out, i << 1, samples[i]);
        }
    }

    /** True when the span is silence standing in for lost or comfort-noise packets. */
    public boolean concealed() {
        return concealed;
    }

    /**
     * Fills the span once its samples are written; used by the pipeline and by tests that drive
     * sinks directly. Samples written after this call do not reach the byte forms a sink already
     * asked for.
     */
    public void set(long startSample16k, int samples16k, long arrivalNanos, boolean concealed) {
        if (samples16k < 0 || samples16k > MAX_SAMPLES_16K || (samples16k & 1) != 0) {
            throw new IllegalArgumentException("samples16k " + samples16k);
        }
        this.startSample16k = startSample16k;
        this.samples16k = samples16k;
        this.arrivalNanos = arrivalNanos;
        this.concealed = concealed;
        this.built = 0;
    }
}
