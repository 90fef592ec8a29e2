package dev.relay.core.control.forward;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What control-request forwarding did, for {@code /metrics}:
 * <ul>
 *   <li>{@code relay_control_forwarded_total{outcome}}: per-call control requests for calls not on
 *       this node, by outcome ({@link Outcome}; all exported from 0);
 *   <li>{@code relay_control_forward_seconds}: time from the request reaching this node to the
 *       owner's answer being ready to relay (owner lookup plus the owner's round trip), for
 *       requests the owner answered.
 * </ul>
 * Counted per control request, never per frame. Thread-safe.
 */
public final class ForwardMetrics {
    /** Latency buckets in seconds: 0.25 ms to 10 s. */
    static final double[] BUCKETS_S = {
        0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
    };

    /** How a request for a call held elsewhere ended. */
    public enum Outcome {
        /** The owner answered; its answer was relayed, whatever its status. */
        FORWARDED("forwarded"),
        /** No node holds the call: 404. */
        NOT_FOUND("not_found"),
        /** The owner's heartbeat expired, or it did not answer (refused, reset, timed out): 503. */
        OWNER_UNREACHABLE("owner_unreachable"),
        /** Redis could not be asked: 503. */
        CLUSTER_UNAVAILABLE("cluster_unavailable"),
        /** Too many forwarded requests in flight already: 503. */
        BUSY("busy"),
        /** The owner's answer was unusable (larger than relay.control.max-body-bytes): 502. */
        BAD_ANSWER("bad_answer");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
    private final DistributionDataPoint seconds;

    public ForwardMetrics(PrometheusRegistry registry) {
        for (Outcome o : Outcome.values()) {
            counts.put(o, new LongAdder());
        }
        CounterWithCallback.builder().name("relay_control_forwarded_total")
                .help("Control requests for calls held by another node, by outcome")
                .labelNames("outcome")
                .callback(cb -> counts.forEach((o, n) -> cb.call(n.sum(), o.label())))
                .register(registry);
        seconds = Histogram.builder().name("relay_control_forward_seconds")
                .help("Forwarded control requests: owner lookup plus the owner's round trip, in seconds")
                .classicOnly()
                .classicUpperBounds(BUCKETS_S)
                .register(registry);
    }

    void count(Outcome outcome) {
        counts.get(outcome).increment();
    }

    void forwarded(long nanos) {
        counts.get(Outcome.FORWARDED).increment();
        seconds.observe(nanos / 1e9);
    }

    /** Requests counted with {@code outcome} so far. */
    public long total(Outcome outcome) {
        return counts.get(outcome).sum();
    }
}
