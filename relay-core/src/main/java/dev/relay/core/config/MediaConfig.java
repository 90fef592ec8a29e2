package dev.relay.core.config;

/**
 * {@code relay.media}: per-call media handling.
 *
 * @param jitterFrames packets held beyond a gap before the gap is declared lost
 * @param jitterMaxWaitMs longest a packet waits for a gap ahead of it to fill
 * @param dtmfPayloadType RTP payload type carrying RFC 4733 telephone events
 * @param maxPayloadBytes largest RTP payload accepted per packet
 * @param maxFillMs longest gap in the RTP timeline (comfort noise, a telephone event, lost or unsent
 *     packets) filled with silence; a longer gap is filled to this length, counted and reported as
 *     a {@code media.gap} event
 */
public record MediaConfig(int jitterFrames, long jitterMaxWaitMs, int dtmfPayloadType, int maxPayloadBytes,
        long maxFillMs) {
    /** Default of {@code relay.media.max-fill}. */
    public static final long DEFAULT_MAX_FILL_MS = 60_000;
    /** Upper bound of {@code relay.media.max-fill}: an hour of 8 kHz samples still fits an int. */
    static final long MAX_MAX_FILL_MS = 3_600_000;

    /** The settings before {@code max-fill} existed, with its default; for tests and benchmarks. */
    public MediaConfig(int jitterFrames, long jitterMaxWaitMs, int dtmfPayloadType, int maxPayloadBytes) {
        this(jitterFrames, jitterMaxWaitMs, dtmfPayloadType, maxPayloadBytes, DEFAULT_MAX_FILL_MS);
    }

    /** {@link #maxFillMs} in 8 kHz samples (RTP timestamp units of G.711). */
    public int maxFillSamples8k() {
        return (int) (maxFillMs * 8);
    }

    static MediaConfig from(Settings s) {
        long maxFill = s.millisAtLeast("max-fill", 20);
        if (maxFill > MAX_MAX_FILL_MS) {
            throw new ConfigError(s.key("max-fill"), "must be at most 1h, got " + maxFill + " ms");
        }
        return new MediaConfig(
                s.intIn("jitter-frames", 1, 64),
                s.millisAtLeast("jitter-max-wait", 1),
                s.intIn("dtmf-payload-type", 96, 127),
                s.intIn("max-payload-bytes", 160, 65536),
                maxFill);
    }
}
