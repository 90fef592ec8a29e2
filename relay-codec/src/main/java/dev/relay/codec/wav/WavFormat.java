package dev.relay.codec.wav;

import java.util.Objects;

/**
 * An audio format a WAV file can carry: encoding, channels, sample rate and sample size. Immutable
 * and validated on construction, so every instance can be written as-is.
 *
 * <p>Limits: 1..{@value #MAX_CHANNELS} channels, 1..{@value #MAX_SAMPLE_RATE_HZ} Hz; PCM at 8
 * (unsigned), 16, 24 or 32 bits; A-law and μ-law at 8 bits. Within these limits the byte rate
 * always fits an {@code int}.
 */
public final class WavFormat {
    /** The highest channel count accepted. */
    public static final int MAX_CHANNELS = 256;
    /** The highest sample rate accepted, in Hz. */
    public static final int MAX_SAMPLE_RATE_HZ = 1_000_000;

    /** μ-law, 8 kHz, mono: the telephony format. */
    public static final WavFormat MULAW_8K_MONO = new WavFormat(Encoding.MULAW, 8000, 1, 8);
    /** PCM 16-bit little-endian, 16 kHz, mono: the STT sinks' format. */
    public static final WavFormat PCM16_16K_MONO = new WavFormat(Encoding.PCM, 16000, 1, 16);

    /** How samples are coded, with the {@code fmt } format tag written for it. */
    public enum Encoding {
        /** Linear PCM, little-endian; 8-bit samples are unsigned (offset 128). */
        PCM(1, "PCM"),
        /** ITU-T G.711 A-law, 8 bits. */
        ALAW(6, "A-law"),
        /** ITU-T G.711 μ-law, 8 bits. */
        MULAW(7, "μ-law");

        private final int formatTag;
        private final String displayName;

        Encoding(int formatTag, String displayName) {
            this.formatTag = formatTag;
            this.displayName = displayName;
        }

        /** The WAVE format tag: 1, 6 or 7. */
        public int formatTag() {
            return formatTag;
        }

        /** The encoding for a format tag, or {@code null} when it is not one of 1, 6, 7. */
        public static Encoding forFormatTag(int formatTag) {
            switch (formatTag) {
                case 1:
                    return PCM;
                case 6:
                    return ALAW;
                case 7:
                    return MULAW;
                default:
                    return null;
            }
        }

        @Override
        public String toString() {
            return displayName;
        }
    }

    private final Encoding encoding;
    private final int sampleRateHz;
    private final int channels;
    private final int bitsPerSample;

    private WavFormat(Encoding encoding, int sampleRateHz, int channels, int bitsPerSample) {
        this.encoding = encoding;
        this.sampleRateHz = sampleRateHz;
        this.channels = channels;
        this.bitsPerSample = bitsPerSample;
    }

    /**
     * A validated format.
     *
     * @throws IllegalArgumentException naming the value out of range
     */
    public static WavFormat of(Encoding encoding, int sampleRateHz, int channels, int bitsPerSample) {
        Objects.requireNonNull(encoding, "encoding");
        String problem = check(encoding, sampleRateHz, channels, bitsPerSample);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return new WavFormat(encoding, sampleRateHz, channels, bitsPerSample);
    }

    /** 16-bit linear PCM. */
    public static WavFormat pcm16(int sampleRateHz, int channels) {
        return of(Encoding.PCM, sampleRateHz, channels, 16);
    }

    /** 8-bit μ-law. */
    public static WavFormat mulaw(int sampleRateHz, int channels) {
        return of(Encoding.MULAW, sampleRateHz, channels, 8);
    }

    /** 8-bit A-law. */
    public static WavFormat alaw(int sampleRateHz, int channels) {
        return of(Encoding.ALAW, sampleRateHz, channels, 8);
    }

    /** What is wrong with these values, or {@code null} when they make a valid format. */
    static String check(Encoding encoding, long sampleRateHz, int channels, int bitsPerSample) {
        if (channels == 0) {
            return "channels 0";
        }
        if (channels < 0 || channels > MAX_CHANNELS) {
            return "channels " + channels + " above maximum " + MAX_CHANNELS;
        }
        if (sampleRateHz == 0) {
            return "sample rate 0";
        }
        if (sampleRateHz < 0 || sampleRateHz > MAX_SAMPLE_RATE_HZ) {
            return "sample rate " + sampleRateHz + " Hz outside 1.." + MAX_SAMPLE_RATE_HZ;
        }
        if (encoding == Encoding.PCM) {
            if (bitsPerSample != 8 && bitsPerSample != 16 && bitsPerSample != 24 && bitsPerSample != 32) {
                return "bits per sample " + bitsPerSample + " unsupported for PCM";
            }
        } else if (bitsPerSample != 8) {
            return "bits per sample " + bitsPerSample + " unsupported for " + encoding + " (need 8)";
        }
        return null;
    }

    /** How samples are coded. */
    public Encoding encoding() {
        return encoding;
    }

    /** The canonical WAVE format tag for {@link #encoding()} (1, 6 or 7; never 0xFFFE). */
    public int formatTag() {
        return encoding.formatTag();
    }

    /** Sample frames per second. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Interleaved channels per frame. */
    public int channels() {
        return channels;
    }

    /** Bits per sample of one channel. */
    public int bitsPerSample() {
        return bitsPerSample;
    }

    /** Bytes per sample frame (all channels): {@code channels × bitsPerSample / 8}. */
    public int blockAlign() {
        return channels * (bitsPerSample / 8);
    }

    /** Bytes per second: {@code sampleRateHz × blockAlign}. */
    public int byteRate() {
        return sampleRateHz * blockAlign();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof WavFormat)) {
            return false;
        }
        WavFormat that = (WavFormat) o;
        return encoding == that.encoding
                && sampleRateHz == that.sampleRateHz
                && channels == that.channels
                && bitsPerSample == that.bitsPerSample;
    }

    @Override
    public int hashCode() {
        return Objects.hash(encoding, sampleRateHz, channels, bitsPerSample);
    }

    @Override
    public String toString() {
        return encoding + " " + sampleRateHz + " Hz " + channels + " ch " + bitsPerSample + " bit";
    }
}
