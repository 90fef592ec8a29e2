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
        return MediaFrame.MAX_SAMPLES_16K * bytesPerSample * sampleRate / 16_000;
    }

    /**
     * Appends {@code frame} in this format. {@code scratch} holds two bytes per 16 kHz sample of the
     * longest frame: samples are converted there and copied with one {@code writeBytes}, which is
     * cheaper than a bounds-checked {@code setShortLE} per sample (and, under the leak detector's
     * paranoid level, than a recorded access per sample).
     */
    void append(MediaFrame frame, ByteBuf out, byte[] scratch) {
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

    private static void writeLe(short[] samples, int n, ByteBuf out, byte[] scratch) {
        for (int i = 0; i < n; i++) {
            final short v = samples[i];
            scratch[i << 1] = (byte) v;
            scratch[(i << 1) + 1] = (byte) (v >> 8);
        }
        out.writeBytes(scratch, 0, n << 1);
    }
}
