package dev.relay.core.node;

import dev.relay.core.cluster.NodeState;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The node's Prometheus metrics, read at scrape time (nothing is done per call or per frame):
 * <ul>
 *   <li>{@code relay_admission_rejected_total{reason}}: upgrades refused with 503, by
 *       {@code max_calls}, {@code cpu}, {@code draining} (all exported from 0);
 *   <li>{@code relay_admission_max_calls}: the call limit in force;
 *   <li>{@code relay_admission_slots_used}: calls counted against it now (admitted sockets,
 *       registered or not);
 *   <li>{@code relay_admission_cpu_load_ratio} and {@code relay_admission_max_cpu_ratio}: the
 *       relay's CPU over the last 5 s and its limit, as fractions of the usable cores;
 *   <li>{@code relay_node_state{state}}: 1 for the current state (ready, draining, full), 0 for
 *       the others;
 *   <li>{@code relay_drain_evicted_total}: calls closed at a drain timeout.
 * </ul>
 */
public final class NodeMetrics {
    private NodeMetrics() {}

    public static void register(PrometheusRegistry registry, Availability state, DrainController drains) {
        Admission admission = state.admission();
        CounterWithCallback.builder().name("relay_admission_rejected_total")
                .help("Telephony upgrades refused with HTTP 503 before the WebSocket, by reason")
                .labelNames("reason")
                .callback(cb -> {
                    for (Admission.Reason r : Admission.Reason.values()) {
                        cb.call(admission.rejected(r), r.label());
                    }
                })
                .register(registry);
        GaugeWithCallback.builder().name("relay_admission_max_calls")
                .help("Calls this relay admits at most"
                        + " (relay.admission.max-calls, or derived from the open-file limit)")
                .callback(cb -> cb.call(admission.maxCalls()))
                .register(registry);
        GaugeWithCallback.builder().name("relay_admission_slots_used")
                .help("Calls counted against max-calls now: admitted telephony sockets, registered or not")
                .callback(cb -> cb.call(admission.slotsInUse()))
                .register(registry);
        GaugeWithCallback.builder().name("relay_admission_cpu_load_ratio")
                .help("The relay's CPU over the last 5 s as a fraction of the cores it may use")
                .callback(cb -> cb.call(admission.cpuLoad()))
                .register(registry);
        GaugeWithCallback.builder().name("relay_admission_max_cpu_ratio")
                .help("CPU limit for new calls as a fraction of the usable cores (relay.admission.max-cpu; 0 = none)")
                .callback(cb -> cb.call(admission.maxCpuRatio()))
                .register(registry);
        GaugeWithCallback.builder().name("relay_node_state")
                .help("1 for the node's current state (ready, draining, full), 0 for the others")
                .labelNames("state")
                .callback(cb -> {
                    NodeState now = state.state();
                    for (NodeState s : NodeState.values()) {
                        cb.call(s == now ? 1 : 0, s.wireName());
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_drain_evicted_total")
                .help("Calls closed with 1001 (call.evicted) at a drain timeout")
                .callback(cb -> cb.call(drains.evicted()))
                .register(registry);
    }
}
