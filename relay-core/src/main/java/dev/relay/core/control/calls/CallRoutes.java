package dev.relay.core.control.calls;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The live-call endpoints that need no body: list ({@link CallListRoute}), inspect, hang up,
 * interrupt. All answer on the
 * IO loop; the call's own loop does the socket work ({@link Call} hops there).
 */
public final class CallRoutes {
    /** Close reason sent with 1000 when a call is hung up through the API. */
    public static final String HANGUP_REASON = "hung up via control API";

    private CallRoutes() {}

    /** Without a cluster: {@code GET /v1/calls?scope=cluster} is a 400. */
    public static List<ControlRoute> create(CallRegistry registry) {
        return create(registry, null);
    }

    /**
     * @param cluster the cluster engine ({@code get()} is null until the node has joined), for
     *     {@code GET /v1/calls?scope=cluster}
     */
    public static List<ControlRoute> create(CallRegistry registry, Supplier<Cluster> cluster) {
        return List.of(
                new CallListRoute(registry, cluster),
                new Simple("GET", "/v1/calls/{callId}", r -> withCall(registry, r, (call, req) ->
                        ControlResponse.json(200, CallJson.of(call, System.currentTimeMillis())))),
                new Simple("DELETE", "/v1/calls/{callId}", r -> withCall(registry, r, (call, req) -> {
                    call.hangUp(1000, HANGUP_REASON);
                    return ControlResponse.json(200, ControlResponse.fields("callId", call.callId(), "status",
                            "hanging_up"));
                })),
                new Simple("POST", "/v1/calls/{callId}/interrupt", r -> withCall(registry, r, (call, req) -> {
                    call.interrupt();
                    return ControlResponse.json(202, ControlResponse.fields("callId", call.callId(), "status",
                            "interrupted"));
                })));
    }

    /** The call named by the {@code callId} path parameter, or 404 {@code call_not_found}. */
    public static ControlResponse withCall(CallRegistry registry, ControlRequest request,
            BiFunction<Call, ControlRequest, ControlResponse> action) {
        String callId = request.pathParams().get("callId");
        Call call = callId == null ? null : registry.get(callId);
        if (call == null || call.released()) {
            return notFound(callId);
        }
        return action.apply(call, request);
    }

    public static ControlResponse notFound(String callId) {
        return ControlResponse.error(404, "call_not_found", "no live call " + callId + " on this relay");
    }

    private record Simple(String method, String pattern, Function<ControlRequest, ControlResponse> answer)
            implements ControlRoute {
        @Override
        public CompletableFuture<ControlResponse> handle(ControlRequest request) {
            return CompletableFuture.completedFuture(answer.apply(request));
        }
    }
}
