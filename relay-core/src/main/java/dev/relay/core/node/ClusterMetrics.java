package dev.relay.core.node;

import dev.relay.core.cluster.Cluster;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Supplier;

/**
 * The cluster engine's Prometheus metrics, read at scrape time without asking Redis:
 * <ul>
 *   <li>{@code relay_cluster_up}: 1 while the cluster holds this node's registration (always 1
 *       for a cluster of one), 0 while Redis is away or before the node has joined;
 *   <li>{@code relay_cluster_events_dropped_total}: local events not published to the other nodes
 *       (cluster unavailable, or not serialisable);
 *   <li>{@code relay_cluster_events_malformed_total}: messages on the events channel that were not
 *       events.
 * </ul>
 */
final class ClusterMetrics {
    private ClusterMetrics() {}

    /** @param cluster the engine, or null before the node has joined */
    static void register(PrometheusRegistry registry, Supplier<Cluster> cluster) {
        GaugeWithCallback.builder().name("relay_cluster_up")
                .help("1 while the cluster (Redis) holds this node's registration, 0 while it is away")
                .callback(cb -> {
                    Cluster c = cluster.get();
                    cb.call(c != null && c.up() ? 1 : 0);
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_cluster_events_dropped_total")
                .help("Call events not published to the other nodes (cluster unavailable or not serialisable)")
                .callback(cb -> {
                    Cluster c = cluster.get();
                    cb.call(c == null ? 0 : c.eventsDropped());
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_cluster_events_malformed_total")
                .help("Messages on the cluster's events channel that were not events (dropped)")
                .callback(cb -> {
                    Cluster c = cluster.get();
                    cb.call(c == null ? 0 : c.eventsMalformed());
                })
                .register(registry);
    }
}
