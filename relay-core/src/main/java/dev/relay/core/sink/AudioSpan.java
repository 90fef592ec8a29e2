package dev.relay.core.sink;

/**
 * A span of a call's audio timeline of variable length (an even number of 16 kHz samples, up to
 * {@link #MAX_SAMPLES_16K} = 120 ms), handed to every sink of the call in turn. Not a 20 ms
 * frame: the pipeline emits what one packet or one concealed gap holds.
 *
 * <p>A flyweight: the pipeline owns and reuses the arrays, so a sink copies what it keeps before
 * {@link Sink#onAudio} returns. Both rates are present: 8 kHz as decoded from the telephony codec
 * and 16 kHz after the half-band upsampler. When the call's source was already 16 kHz (raw PCM),
 * the 8 kHz view is its decimation.
 */
public final class AudioSpan {
    /** Longest span, in 16 kHz samples (120 ms), that the pipeline emits in one piece. */
    public static final int MAX_SAMPLES_16K = 1920;

    final short[] pcm16k = new short[MAX_SAMPLES_16K];
    final short[] pcm8k = new short[MAX_SAMPLES_16K / 2];
    int samples16k;
    long startSample16k;
    long arrivalNanos;
    boolean concealed;

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

    /** True when the span is silence standing in for lost or comfort-noise packets. */
    public boolean concealed() {
        return concealed;
    }

    /** Fills the span; used by the pipeline and by tests that drive sinks directly. */
    public void set(long startSample16k, int samples16k, long arrivalNanos, boolean concealed) {
        if (samples16k < 0 || samples16k > MAX_SAMPLES_16K || (samples16k & 1) != 0) {
            throw new IllegalArgumentException("samples16k " + samples16k);
        }
        this.startSample16k = startSample16k;
        this.samples16k = samples16k;
        this.arrivalNanos = arrivalNanos;
        this.concealed = concealed;
    }
}
