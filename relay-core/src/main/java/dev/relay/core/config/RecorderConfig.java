package dev.relay.core.config;

import java.nio.file.Path;

/**
 * {@code relay.sinks.recorder}: one WAV file per call.
 *
 * @param dir directory the files go to (created when missing)
 * @param format {@link Format#PCM16} at 16 kHz, or {@link Format#ULAW} at 8 kHz as received
 * @param queueDurationMs audio buffered per call before the oldest is dropped (as for the network sinks)
 */
public record RecorderConfig(Path dir, Format format, long queueDurationMs) {

    /** Recorded sample format. */
    public enum Format {
        PCM16,
        ULAW
    }

    static RecorderConfig from(Settings s) {
        return new RecorderConfig(
                Path.of(s.nonEmptyString("dir")),
                s.enumValue("format", Format.class),
                StreamConfig.queueDurationMs(s));
    }
}
