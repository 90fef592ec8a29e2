package dev.relay.core.node;

import dev.relay.core.call.CallRegistry;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.NodeState;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import dev.relay.core.node.Availability.Drain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's face on the admin API: {@code POST /v1/admin/drain}, {@code POST /v1/admin/undrain},
 * {@code GET /v1/admin/status} and {@code GET /v1/nodes} (all behind the control token), the
 * {@code /readyz} answer, and the guard that refuses outbound calls while draining (SPEC §8.1).
 *
 * <p>Answers:
 * <ul>
 *   <li>drain: 200 with the status, also when a drain was already in progress (idempotent);
 *   <li>undrain: 200 with the status when a drain started through the API ended, or when there was
 *       none; 409 {@code drain_not_undoable} for a SIGTERM drain (it ends with the process) or a
 *       shutdown in progress;
 *   <li>status: 200 {@code {"node","state","calls","maxCalls","transport","version"}}, plus
 *       {@code "drain":{"by","since","acceptGraceMs","timeoutMs","exitWhenDrained"}} while
 *       draining ({@code since} in epoch milliseconds, like event {@code ts}).
 * </ul>
 * Routes run on IO loops and answer at once from atomics; thread-safe.
 */
public final class NodeRoutes {
    private final Availability state;
    private final DrainController drains;
    private final DrainConfig drainConfig;
    private final CallRegistry registry;
    private final Supplier<Identity> identity;
    private final Supplier<Cluster> cluster;

    /** What the status route reports about the node itself, known once the listeners are bound. */
    record Identity(String node, String transport, String version) {}

    NodeRoutes(Availability state, DrainController drains, DrainConfig drainConfig, CallRegistry registry,
            Supplier<Identity> identity, Supplier<Cluster> cluster) {
        this.state = state;
        this.drains = drains;
        this.drainConfig = drainConfig;
        this.registry = registry;
        this.identity = identity;
        this.cluster = cluster;
    }

    List<ControlRoute> routes() {
        return List.of(
                new Route("POST", "/v1/admin/drain", r -> {
                    drains.drain(Availability.Origin.API);
                    return ControlResponse.json(200, status());
                }),
                new Route("POST", "/v1/admin/undrain", r -> switch (drains.undrain()) {
                    case UNDRAINED, NOT_DRAINING -> ControlResponse.json(200, status());
                    case NOT_UNDOABLE -> ControlResponse.error(409, "drain_not_undoable",
                            state.drain() != null && state.drain().by() == Availability.Origin.SHUTDOWN
                                    ? "the relay is shutting down"
                                    : "a drain started by SIGTERM ends when the relay exits");
                }),
                new Route("GET", "/v1/admin/status", r -> ControlResponse.json(200, status())),
                new ClusterNodesRoute(cluster));
    }

    /** {@code start} (POST /v1/calls), answering 503 {@code draining} while the node drains. */
    ControlRoute guardOutbound(ControlRoute start) {
        return new OutboundGuard(start, state);
    }

    /**
     * The {@code /readyz} answer: 200 {@code {"status":"ready","state":"ready"}}; 503 with
     * {@code "state":"draining"} (and the drain), {@code "state":"full"} (and the reason), or,
     * before the listeners are bound, error {@code not_ready}. Draining wins over full.
     */
    ControlResponse readiness(boolean listening) {
        Drain d = state.drain();
        if (d != null) {
            Map<String, Object> body = ControlResponse.fields("state", NodeState.DRAINING.wireName(),
                    "drain", drainView(d), "calls", registry.active(),
                    "error", ControlResponse.fields("code", "draining", "message",
                            d.by() == Availability.Origin.SHUTDOWN ? "relay is shutting down" : "relay is draining"));
            return ControlResponse.json(503, body);
        }
        if (!listening) {
            return ControlResponse.json(503, ControlResponse.fields("state", "starting",
                    "error", ControlResponse.fields("code", "not_ready", "message", "listeners not bound yet")));
        }
        Admission admission = state.admission();
        Admission.Reason full = admission.fullReason();
        if (full != null) {
            return ControlResponse.json(503, ControlResponse.fields("state", NodeState.FULL.wireName(),
                    "reason", full.label(), "calls", registry.active(), "maxCalls", admission.maxCalls(),
                    "error", ControlResponse.fields("code", "full", "message",
                            "relay is full (" + full.label() + ")")));
        }
        return ControlResponse.json(200,
                ControlResponse.fields("status", "ready", "state", NodeState.READY.wireName()));
    }

    Map<String, Object> status() {
        Identity id = identity.get();
        Map<String, Object> body = ControlResponse.fields(
                "node", id.node(),
                "state", state.state().wireName(),
                "calls", registry.active(),
                "maxCalls", state.admission().maxCalls(),
                "transport", id.transport(),
                "version", id.version());
        Drain d = state.drain();
        if (d != null) {
            body.put("drain", drainView(d));
        }
        return body;
    }

    private Map<String, Object> drainView(Drain d) {
        return ControlResponse.fields("by", d.by().label(), "since", d.sinceEpochMs(),
                "acceptGraceMs", drainConfig.acceptGraceMs(), "timeoutMs", drainConfig.timeoutMs(),
                "exitWhenDrained", d.exitWhenDrained());
    }

    private record Route(String method, String pattern, Function<ControlRequest, ControlResponse> f)
            implements ControlRoute {
        @Override
        public CompletableFuture<ControlResponse> handle(ControlRequest request) {
            return CompletableFuture.completedFuture(f.apply(request));
        }
    }

    private record OutboundGuard(ControlRoute start, Availability state) implements ControlRoute {
        @Override
        public String method() {
            return start.method();
        }

        @Override
        public String pattern() {
            return start.pattern();
        }

        @Override
        public CompletableFuture<ControlResponse> handle(ControlRequest request) {
            if (state.draining()) {
                return CompletableFuture.completedFuture(ControlResponse.error(503, "draining",
                        "relay is draining: start the call on another relay"));
            }
            return start.handle(request);
        }

        @Override
        public boolean requiresAuth() {
            return start.requiresAuth();
        }
    }
}
