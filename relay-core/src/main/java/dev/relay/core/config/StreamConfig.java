package dev.relay.core.config;

/**
 * Settings every network sink has under {@code relay.sinks.<name>}: its queue, how it connects and
 * reconnects, and how long a call's end waits for the queue to drain.
 *
 * @param queueDurationMs audio queued per call before the oldest is dropped ({@link #queueDurationMs(Settings)})
 * @param connectTimeoutMs TCP connect plus handshake limit for one attempt
 * @param reconnectInitialMs backoff ceiling of the first retry (doubles per failed attempt)
 * @param reconnectMaxMs largest backoff ceiling
 * @param flushTimeoutMs at call end, how long queued audio may take to drain before it is dropped
 * @param confirmIntervalMs while written audio is unconfirmed, how often a WebSocket ping asks the
 *     destination to confirm it ({@code confirm-interval}); 0 turns confirmation off. Only sinks
 *     whose protocol carries WebSocket pings use it.
 * @param pongTimeoutMs how long a ping may wait for its pong before the connection is closed and
 *     reconnected ({@code pong-timeout}; 0, the default, means 5 × confirm-interval)
 */
public record StreamConfig(long queueDurationMs, long connectTimeoutMs, long reconnectInitialMs, long reconnectMaxMs,
        long flushTimeoutMs, long confirmIntervalMs, long pongTimeoutMs) {

    static final String CONFIRM_INTERVAL = "confirm-interval";
    static final String PONG_TIMEOUT = "pong-timeout";
    /** {@code pong-timeout} when unset, in confirm-intervals. */
    static final int DEFAULT_PONG_TIMEOUT_INTERVALS = 5;

    /** Without delivery confirmation (tests and benchmarks). */
    public StreamConfig(long queueDurationMs, long connectTimeoutMs, long reconnectInitialMs, long reconnectMaxMs,
            long flushTimeoutMs) {
        this(queueDurationMs, connectTimeoutMs, reconnectInitialMs, reconnectMaxMs, flushTimeoutMs, 0, 0);
    }

    static final String QUEUE_DURATION = "queue-duration";
    static final String QUEUE_FRAMES = "queue-frames";
    /** The audio one {@code queue-frames} step stands for (SPEC §5: frames of 20 ms). */
    static final long FRAME_MS = 20;
    private static final int MIN_FRAMES = 2;
    private static final int MAX_FRAMES = 1 << 20;

    /** Reads the common keys of one sink's subtree. */
    public static StreamConfig from(Settings s) {
        // Absent for sinks without WebSocket pings (the recorder, media-stream): no confirmation.
        long confirmMs = s.has(CONFIRM_INTERVAL) ? s.millisAtLeast(CONFIRM_INTERVAL, 0) : 0;
        long pongMs = s.has(PONG_TIMEOUT) ? s.millisAtLeast(PONG_TIMEOUT, 0) : 0;
        if (pongMs == 0) {
            pongMs = confirmMs * DEFAULT_PONG_TIMEOUT_INTERVALS;
        }
        StreamConfig c = new StreamConfig(
                queueDurationMs(s),
                s.millisAtLeast("connect-timeout", 1),
                s.millisAtLeast("reconnect.initial", 1),
                s.millisAtLeast("reconnect.max", 1),
                s.millisAtLeast("flush-timeout", 0),
                confirmMs,
                pongMs);
        if (c.reconnectMaxMs < c.reconnectInitialMs) {
            throw new ConfigError(s.key("reconnect.max"), "must be at least reconnect.initial ("
                    + c.reconnectInitialMs + " ms)");
        }
        return c;
    }

    /**
     * A sink's queue bound in milliseconds of audio: {@code queue-duration}, or the SPEC's
     * {@code queue-frames} (N frames = N × 20 ms), which the embedded defaults never set. When both
     * are set, the one from the stronger layer wins (a system property over the config file over
     * the defaults); both in the same layer is an error naming both keys.
     */
    static long queueDurationMs(Settings s) {
        int framesLayer = s.layer(QUEUE_FRAMES);
        int durationLayer = s.layer(QUEUE_DURATION);
        if (framesLayer >= 0 && framesLayer == durationLayer) {
            throw new ConfigError(s.key(QUEUE_FRAMES), "set together with " + s.key(QUEUE_DURATION)
                    + "; set one of them (queue-frames = N means N x " + FRAME_MS + " ms)");
        }
        if (framesLayer > durationLayer) {
            return s.intIn(QUEUE_FRAMES, MIN_FRAMES, MAX_FRAMES) * FRAME_MS;
        }
        long ms = s.millisAtLeast(QUEUE_DURATION, MIN_FRAMES * FRAME_MS);
        if (ms > MAX_FRAMES * FRAME_MS) {
            throw new ConfigError(s.key(QUEUE_DURATION), "must be at most " + MAX_FRAMES * FRAME_MS + " ms, got " + ms);
        }
        return ms;
    }
}
