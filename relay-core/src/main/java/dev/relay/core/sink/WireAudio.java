package dev.relay.core.sink;

import io.netty.buffer.ByteBuf;

/** The audio format a network sink queues and sends: what a chunk's bytes after its header are. */
public enum WireAudio {
    /** PCM16 little-endian, 16 kHz mono: aiOla, session-stream, L16 bot streams. */
    PCM16_16K(16_000, 2),
    /** PCM16 little-endian, 8 kHz mono. */
    PCM16_8K(8_000, 2),
    /** G.711 μ-law, 8 kHz mono: μ-law bot streams. */
    ULAW_8K(8_000, 1);

    private final int sampleRate;
    private final int bytesPerSample;

    WireAudio(int sampleRate, int bytesPerSample) {
        this.sampleRate = sampleRate;
        this.bytesPerSample = bytesPerSample;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Bytes of {@code ms} milliseconds of audio. */
    public int bytesFor(int ms) {
        return sampleRate / 1000 * ms * bytesPerSample;
    }

    /** Bytes one frame takes at most. */
    int maxFrameBytes() {
        return AudioSpan.MAX_SAMPLES_16K * bytesPerSample * sampleRate / 16_000;
    }

    /**
     * Appends {@code frame} in this format: one bulk copy of the span's shared byte form. A buffer
     * access per sample would cost a bounds check each (and, under the paranoid leak detector of
     * the tests, a stack trace each).
     */
    void append(AudioSpan frame, ByteBuf out) {
        switch (this) {
            case PCM16_16K -> out.writeBytes(frame.pcm16kLittleEndian(), 0, frame.samples16k() << 1);
            case PCM16_8K -> out.writeBytes(frame.pcm8kLittleEndian(), 0, frame.samples8k() << 1);
            case ULAW_8K -> out.writeBytes(frame.ulaw8k(), 0, frame.samples8k());
        }
    }
}
