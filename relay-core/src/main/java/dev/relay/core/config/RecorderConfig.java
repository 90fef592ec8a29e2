package dev.relay.core.config;

import java.nio.file.Path;

/**
 * {@code relay.sinks.recorder}: one WAV file per call.
 *
 * @param dir directory the files go to (created when missing)
 * @param format {@link Format#PCM16} at 16 kHz, or {@link Format#ULAW} at 8 kHz as received
 * @param queueDurationMs audio buffered per call before the writer falls behind and frames are
 *     dropped (the newest: see the recorder's class comment)
 * @param syncIntervalMs how often the writer rewrites each open file's RIFF and data sizes, so that
 *     a killed relay leaves standard files missing at most this much audio from their header
 */
public record RecorderConfig(Path dir, Format format, long queueDurationMs, long syncIntervalMs) {
    /** Default of {@code relay.sinks.recorder.sync-interval}. */
    public static final long DEFAULT_SYNC_INTERVAL_MS = 1000;

    /** Recorded sample format. */
    public enum Format {
        PCM16,
        ULAW
    }

    /** The settings with the default sync interval; for tests. */
    public RecorderConfig(Path dir, Format format, long queueDurationMs) {
        this(dir, format, queueDurationMs, DEFAULT_SYNC_INTERVAL_MS);
    }

    static RecorderConfig from(Settings s) {
        return new RecorderConfig(
                Path.of(s.nonEmptyString("dir")),
                s.enumValue("format", Format.class),
                StreamConfig.queueDurationMs(s),
                s.millisAtLeast("sync-interval", 10));
    }
}
