package dev.relay.core.control.forward;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A per-call control route ({@code /v1/calls/{callId}…}) that any node of a cluster serves (SPEC
 * §8.3): here when the call is in this node's registry; otherwise the cluster is asked who holds
 * it, and
 * <ul>
 *   <li>a live owner gets the request through the {@link ControlForwarder}, and its answer is
 *       relayed unchanged;
 *   <li>no owner: 404 {@code call_not_found};
 *   <li>an owner whose heartbeat expired, or Redis unreachable: 503 {@code owner_unreachable}, at
 *       once (the engine answers from memory while Redis is known to be away).
 * </ul>
 * A request another node forwarded ({@link ControlForwarder#FORWARDED_HEADER}) is only ever served
 * here, so a request is forwarded at most once and never loops; for a call no longer here it is
 * the local route's 404. So is an owner lookup that names this node (the call ended, or has not
 * been placed yet, between the lookup and now).
 *
 * <p>Runs on the control API's IO loop and never waits there: the lookup and the forward complete
 * on other threads.
 */
public final class OwnerRouted implements ControlRoute {
    private final ControlRoute local;
    private final CallRegistry registry;
    private final Supplier<Cluster> cluster;
    private final ControlForwarder forwarder;

    private OwnerRouted(ControlRoute local, CallRegistry registry, Supplier<Cluster> cluster,
            ControlForwarder forwarder) {
        this.local = local;
        this.registry = registry;
        this.cluster = cluster;
        this.forwarder = forwarder;
    }

    /**
     * {@code routes} with every route whose pattern has a {@code {callId}} placeholder wrapped;
     * the others as they are.
     */
    public static List<ControlRoute> wrap(List<ControlRoute> routes, CallRegistry registry, Supplier<Cluster> cluster,
            ControlForwarder forwarder) {
        List<ControlRoute> out = new ArrayList<>(routes.size());
        for (ControlRoute r : routes) {
            out.add(r.pattern().contains("{callId}") ? new OwnerRouted(r, registry, cluster, forwarder) : r);
        }
        return out;
    }

    @Override
    public String method() {
        return local.method();
    }

    @Override
    public String pattern() {
        return local.pattern();
    }

    @Override
    public boolean requiresAuth() {
        return local.requiresAuth();
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        String callId = request.pathParams().get("callId");
        Call here = registry.get(callId);
        Cluster c = cluster.get();
        if (here != null && !here.released() || c == null
                || request.headers().contains(ControlForwarder.FORWARDED_HEADER)) {
            return local.handle(request);
        }
        long start = System.nanoTime();
        ForwardMetrics metrics = forwarder.metrics();
        return c.owner(callId).toCompletableFuture().thenCompose(owner -> switch (owner.outcome()) {
            case ALIVE -> owner.node().equals(c.nodeId()) ? local.handle(request)
                    : forwarder.forward(request, local.pattern(), owner.node(), owner.controlUrl(), c.nodeId(), start);
            case NOT_FOUND -> {
                metrics.count(ForwardMetrics.Outcome.NOT_FOUND);
                yield done(ControlResponse.error(404, "call_not_found", "no live call " + callId + " in the cluster"));
            }
            case EXPIRED -> {
                metrics.count(ForwardMetrics.Outcome.OWNER_UNREACHABLE);
                yield done(ControlForwarder.unreachable(owner.node(), "call " + callId + " is held by node "
                        + owner.node() + ", whose heartbeat has expired"));
            }
            case UNAVAILABLE -> {
                metrics.count(ForwardMetrics.Outcome.CLUSTER_UNAVAILABLE);
                yield done(ControlForwarder.unreachable(null, "call " + callId
                        + " is not on this node and the cluster (Redis) is unreachable just now"));
            }
        });
    }

    private static CompletableFuture<ControlResponse> done(ControlResponse r) {
        return CompletableFuture.completedFuture(r);
    }
}
