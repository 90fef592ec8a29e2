package dev.relay.codec.wav;

/**
 * What {@link WavReader} found: the format and where the audio lies in the caller's bytes. Holds no
 * reference to those bytes; immutable.
 *
 * <p>Offsets are absolute indices into the array or buffer that was parsed (not relative to the
 * {@code off} or position passed in), so {@code src[dataOffset() .. dataOffset() + dataLength())}
 * is the audio.
 *
 * <p><b>Short data.</b> A data chunk that declares more bytes than the input holds is accepted, not
 * rejected: the file was cut short, or a streaming writer never fixed its size up (it left
 * {@code 0xFFFFFFFF}, or {@code 0} with a RIFF size that does not match the file). Then
 * {@link #dataLength()} is what is present, {@link #declaredDataBytes()} what the header said, and
 * {@link #truncated()} is true. Callers that must not play partial audio check it.
 */
public final class WavHeader {
    private final WavFormat format;
    private final int formatTag;
    private final int dataOffset;
    private final int dataLength;
    private final long declaredDataBytes;
    private final boolean truncated;
    private final long factFrames;

    WavHeader(
            WavFormat format,
            int formatTag,
            int dataOffset,
            int dataLength,
            long declaredDataBytes,
            boolean truncated,
            long factFrames) {
        this.format = format;
        this.formatTag = formatTag;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
        this.declaredDataBytes = declaredDataBytes;
        this.truncated = truncated;
        this.factFrames = factFrames;
    }

    /** The audio format (canonical: an EXTENSIBLE file reports its sub-format's encoding). */
    public WavFormat format() {
        return format;
    }

    /** The format tag as written in the file: 1, 6, 7, or 0xFFFE for WAVE_FORMAT_EXTENSIBLE. */
    public int formatTag() {
        return formatTag;
    }

    /** Whether the file used WAVE_FORMAT_EXTENSIBLE (0xFFFE). */
    public boolean extensible() {
        return formatTag == WavLayout.TAG_EXTENSIBLE;
    }

    /** Absolute index of the first audio byte in the parsed array or buffer. */
    public int dataOffset() {
        return dataOffset;
    }

    /** Audio bytes present: the declared size, or less when {@link #truncated()}. */
    public int dataLength() {
        return dataLength;
    }

    /** The data chunk's size field as written (unsigned 32-bit). */
    public long declaredDataBytes() {
        return declaredDataBytes;
    }

    /** Whether fewer audio bytes are present than declared (see the class comment). */
    public boolean truncated() {
        return truncated;
    }

    /** Whole sample frames present: {@code dataLength / blockAlign} (a partial last frame is dropped). */
    public int frames() {
        return dataLength / format.blockAlign();
    }

    /** The {@code fact} chunk's sample-frame count, or −1 when there is none. Informational only. */
    public long factFrames() {
        return factFrames;
    }

    /** Duration of the present frames in milliseconds, rounded down. */
    public long durationMs() {
        return frames() * 1000L / format.sampleRateHz();
    }

    @Override
    public String toString() {
        return "WavHeader[" + format + ", tag " + formatTag + ", data " + dataLength + " bytes at " + dataOffset
                + (truncated ? ", truncated from " + declaredDataBytes : "") + "]";
    }
}
