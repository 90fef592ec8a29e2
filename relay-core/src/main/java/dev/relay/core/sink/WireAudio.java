package dev.relay.core.sink;

import dev.relay.codec.g711.MuLaw;
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

    /** Bytes the {@code scratch} array of {@link #append} must hold: a longest frame as PCM16. */
    static final int SCRATCH_BYTES = AudioSpan.MAX_SAMPLES_16K * 2;

    /** Appends {@code frame} in this format; {@code scratch} holds {@link #SCRATCH_BYTES}. */
    void append(AudioSpan frame, ByteBuf out, byte[] scratch) {
        switch (this) {
            case PCM16_16K -> writeLe(frame.pcm16k(), frame.samples16k(), out, scratch);
            case PCM16_8K -> writeLe(frame.pcm8k(), frame.samples8k(), out, scratch);
            case ULAW_8K -> {
                int n = frame.samples8k();
                MuLaw.encode(frame.pcm8k(), 0, scratch, 0, n);
                out.writeBytes(scratch, 0, n);
            }
        }
    }

    /**
     * Little-endian bytes built in the array, then one bulk copy: a buffer access per sample costs
     * a bounds check each (and, under the paranoid leak detector of the tests, a stack trace each).
     */
    private static void writeLe(short[] samples, int n, ByteBuf out, byte[] scratch) {
        for (int i = 0, b = 0; i < n; i++, b += 2) {
            short v = samples[i];
            scratch[b] = (byte) v;
            scratch[b + 1] = (byte) (v >> 8);
        }
        out.writeBytes(scratch, 0, n << 1);
    }
}
