package dev.relay.core.sink;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** Makes the per-call instance of one named sink. Thread-safe; called on an IO loop. */
public interface SinkFactory {
    /** The name routes use for this sink. */
    String name();

    /** A new, unopened sink for {@code call}. Must not block. */
    Sink create(CallContext call);

    /** The sink's write-latency histogram, exported as {@code relay_sink_latency_seconds}; null if none. */
    default SinkLatency latency() {
        return null;
    }

    /**
     * Waits up to {@code timeoutMs} for call instances still flushing over the network; the IO
     * loops they flush on stop after this. Called at shutdown once every call has ended.
     */
    default void awaitFlushed(long timeoutMs) throws InterruptedException {}

    /**
     * Adds the sink's own metrics, beyond the per-sink series every sink has, to the relay's
     * registry; called once per relay at start. None by default.
     */
    default void registerMetrics(PrometheusRegistry registry) {}

    /** Flushes and stops shared resources (writer threads, clients) at shutdown; may block. */
    default void shutdown(long timeoutMs) {}
}
