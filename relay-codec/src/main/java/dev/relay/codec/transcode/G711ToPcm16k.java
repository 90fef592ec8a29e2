package dev.relay.codec.transcode;

import dev.relay.codec.g711.G711;
import dev.relay.codec.resample.HalfBandUpsampler;

/**
 * The caller's audio into the pipeline: G.711 at 8 kHz (either law, {@link G711}) decoded to PCM16
 * and upsampled to 16 kHz by relay-codec's {@link HalfBandUpsampler}. The 8 kHz PCM is kept beside
 * the 16 kHz (sinks that send 8 kHz take it), so both arrays are the caller's. PCM16 that arrives
 * at 8 kHz, and silence, join the same stream through {@link #upsample}, so the filter's state runs
 * on across all three.
 *
 * <p>The way back is {@link Pcm16ToUlaw8k}. One instance per call; not thread-safe; never
 * allocates.
 */
public final class G711ToPcm16k {
    private final HalfBandUpsampler upsampler = new HalfBandUpsampler();

    /**
     * Decodes {@code len} codes of {@code law} from {@code src[off..]} into {@code pcm8k[0, len)} and
     * upsamples them into {@code pcm16k[0, 2·len)}.
     *
     * @return the 16 kHz samples written, {@code 2·len}
     */
    public int decode(G711 law, byte[] src, int off, int len, short[] pcm8k, short[] pcm16k) {
        law.decode(src, off, pcm8k, 0, len);
        return upsample(pcm8k, len, pcm16k);
    }

    /** Upsamples PCM16 {@code pcm8k[0, len)} into {@code pcm16k[0, 2·len)}; returns {@code 2·len}. */
    public int upsample(short[] pcm8k, int len, short[] pcm16k) {
        upsampler.process(pcm8k, 0, len, pcm16k, 0);
        return len << 1;
    }
}
