package dev.relay.core.config;

/**
 * Settings every network sink has under {@code relay.sinks.<name>}: its queue, how it connects and
 * reconnects, and how long a call's end waits for the queue to drain.
 *
 * @param queueFrames 20 ms frames queued per call before the oldest are dropped
 * @param connectTimeoutMs TCP connect plus handshake limit for one attempt
 * @param reconnectInitialMs backoff ceiling of the first retry (doubles per failed attempt)
 * @param reconnectMaxMs largest backoff ceiling
 * @param flushTimeoutMs at call end, how long queued audio may take to drain before it is dropped
 */
public record StreamConfig(int queueFrames, long connectTimeoutMs, long reconnectInitialMs, long reconnectMaxMs,
        long flushTimeoutMs) {

    /** Reads the common keys of one sink's subtree. */
    public static StreamConfig from(Settings s) {
        StreamConfig c = new StreamConfig(
                s.intIn("queue-frames", 2, 1 << 20),
                s.millisAtLeast("connect-timeout", 1),
                s.millisAtLeast("reconnect.initial", 1),
                s.millisAtLeast("reconnect.max", 1),
                s.millisAtLeast("flush-timeout", 0));
        if (c.reconnectMaxMs < c.reconnectInitialMs) {
            throw new ConfigError(s.key("reconnect.max"), "must be at least reconnect.initial ("
                    + c.reconnectInitialMs + " ms)");
        }
        return c;
    }
}
