package dev.relay.core.node;

import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.ClusterUnavailableException;
import dev.relay.core.cluster.NodeInfo;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code GET /v1/nodes} (SPEC §8.3): every node of the cluster as its last heartbeat described it,
 * sorted by id: {@code {"nodes":[{"id","state","calls","maxCalls","version","lastHeartbeat",
 * "alive","controlUrl","transport"}]}}, {@code lastHeartbeat} in epoch milliseconds by that node's
 * clock. A node whose heartbeat expired and that no survivor has removed yet is listed with
 * {@code "alive":false}, {@code "state":"expired"} and nothing else known. A cluster of one lists
 * this node alone. While Redis is away: 503 {@code cluster_unavailable}, at once.
 *
 * <p>Runs on the control API's IO loop and never waits: the answer is composed on the engine's
 * stage.
 */
final class ClusterNodesRoute implements ControlRoute {
    /** The {@code state} of a node whose heartbeat expired. */
    static final String EXPIRED = "expired";

    private final Supplier<Cluster> cluster;

    ClusterNodesRoute(Supplier<Cluster> cluster) {
        this.cluster = cluster;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return "/v1/nodes";
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        Cluster c = cluster.get();
        if (c == null) {
            return CompletableFuture.completedFuture(unavailable());
        }
        return c.nodes().handle((nodes, error) -> {
            if (error != null) {
                if (ClusterUnavailableException.isCause(error)) {
                    return unavailable();
                }
                throw new IllegalStateException("listing the cluster's nodes failed", error);
            }
            List<NodeInfo> sorted = new ArrayList<>(nodes);
            sorted.sort(Comparator.comparing(NodeInfo::id));
            List<Map<String, Object>> out = new ArrayList<>(sorted.size());
            for (NodeInfo n : sorted) {
                out.add(n.alive() ? ControlResponse.fields("id", n.id(), "state", n.state().wireName(),
                        "calls", n.calls(), "maxCalls", n.maxCalls(), "version", n.version(),
                        "lastHeartbeat", n.lastHeartbeatMillis(), "alive", true, "controlUrl", n.controlUrl(),
                        "transport", n.transport())
                        : ControlResponse.fields("id", n.id(), "state", EXPIRED, "alive", false));
            }
            return ControlResponse.json(200, ControlResponse.fields("nodes", out));
        }).toCompletableFuture();
    }

    static ControlResponse unavailable() {
        return ControlResponse.error(503, "cluster_unavailable", "the cluster (Redis) is unreachable just now");
    }
}
