package dev.relay.core.control.calls;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.cluster.CallRecord;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.ClusterCall;
import dev.relay.core.cluster.ClusterUnavailableException;
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
 * {@code GET /v1/calls}: this node's live calls, or with {@code ?scope=cluster} every node's
 * (SPEC §8.3), each with a {@code node} field, sorted by start time then callId.
 *
 * <p>The cluster list comes from the registry in Redis alone, not from asking each node: one
 * lookup per live node, answered even when a node is slow, and the same on every node. A call held
 * here is shown in full (stats and sinks, as the local list shows it); a call held elsewhere with
 * what the registry keeps of it: {@code callId, route, mobileNo, startedAt, durationMs, node}. A
 * call on a node that died is listed until that node's heartbeat expires (up to three heartbeats),
 * then left out (a survivor then reports it {@code call.lost}). A cluster of one lists this node's
 * calls. While Redis is away: 503 {@code cluster_unavailable}, at once. Any other scope than
 * {@code local} or {@code cluster}: 400 {@code bad_request}.
 *
 * <p>Runs on the control API's IO loop and never waits there.
 */
final class CallListRoute implements ControlRoute {
    private final CallRegistry registry;
    private final Supplier<Cluster> cluster;

    /** @param cluster the engine (null before the node joined), or null for no cluster scope */
    CallListRoute(CallRegistry registry, Supplier<Cluster> cluster) {
        this.registry = registry;
        this.cluster = cluster;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return "/v1/calls";
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        String scope = request.queryParam("scope");
        if (scope == null || scope.equals("local")) {
            return done(local());
        }
        if (!scope.equals("cluster") || cluster == null) {
            return done(ControlResponse.error(400, "bad_request", "scope must be local or cluster"));
        }
        Cluster c = cluster.get();
        if (c == null) {
            return done(unavailable());
        }
        return c.calls().handle((calls, error) -> {
            if (error != null) {
                if (ClusterUnavailableException.isCause(error)) {
                    return unavailable();
                }
                throw new IllegalStateException("listing the cluster's calls failed", error);
            }
            return ControlResponse.json(200, ControlResponse.fields("calls", clusterView(calls)));
        }).toCompletableFuture();
    }

    private ControlResponse local() {
        long now = System.currentTimeMillis();
        List<Call> calls = new ArrayList<>(registry.all());
        calls.sort(Comparator.comparingLong((Call c) -> c.context().startedAtMillis()).thenComparing(Call::callId));
        List<Map<String, Object>> out = new ArrayList<>(calls.size());
        for (Call c : calls) {
            out.add(CallJson.of(c, now));
        }
        return ControlResponse.json(200, ControlResponse.fields("calls", out));
    }

    private List<Map<String, Object>> clusterView(List<ClusterCall> calls) {
        long now = System.currentTimeMillis();
        List<ClusterCall> sorted = new ArrayList<>(calls);
        sorted.sort(Comparator.comparingLong((ClusterCall c) -> c.call().startedAtMillis())
                .thenComparing(c -> c.call().callId()));
        List<Map<String, Object>> out = new ArrayList<>(sorted.size());
        for (ClusterCall c : sorted) {
            CallRecord r = c.call();
            Call here = registry.get(r.callId());
            Map<String, Object> m;
            if (here != null && !here.released() && c.node().equals(cluster.get().nodeId())) {
                m = CallJson.of(here, now);
            } else {
                m = ControlResponse.fields("callId", r.callId(), "route", r.route(), "mobileNo", r.mobileNo(),
                        "startedAt", r.startedAtMillis(), "durationMs", Math.max(0, now - r.startedAtMillis()));
            }
            m.put("node", c.node());
            out.add(m);
        }
        return out;
    }

    private static ControlResponse unavailable() {
        return ControlResponse.error(503, "cluster_unavailable", "the cluster (Redis) is unreachable just now");
    }

    private static CompletableFuture<ControlResponse> done(ControlResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
