package dev.relay.core.call;

import dev.relay.core.cluster.CallRecord;
import dev.relay.core.cluster.Claim;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.PendingCall;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Registers calls in two steps. {@link #claim} asks the cluster for the callId (SPEC §8.3): the
 * answer comes later, from another thread, unless there is nothing to wait for (no cluster, or a
 * cluster of one, whose answers are immediate). {@link #create} then builds the call on its
 * socket's IO loop: its route's sinks (a pending outbound call's route, taken with the claim or
 * from this node's {@link PendingCalls}, wins over the upgrade path's), its pipeline, and its media
 * path, placed by the {@link MediaPlacement} the relay chose ({@code relay.dsp.mode}). The call
 * releases its {@link CallClaim} when it ends. Nothing here runs per frame. Thread-safe.
 */
public final class CallFactory {
    /** Why a call could not be created. */
    public enum Refusal {
        DUPLICATE_CALL_ID,
        UNKNOWN_ROUTE,
        OVERLOADED
    }

    /** A created call, or the reason there is none. */
    public record Result(Call call, Refusal refusal) {}

    private final RelayConfig config;
    private final Map<String, SinkFactory> sinks;
    private final CallRegistry registry;
    private final EventBus events;
    private final MediaPlacement placement;
    private final PendingCalls pending;
    private final CompletionStage<Cluster> cluster;

    /** @param placement where each call's media pipeline runs */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            MediaPlacement placement) {
        this(config, sinks, registry, events, placement, new PendingCalls());
    }

    /**
     * Without a cluster: every claim succeeds at once.
     *
     * @param placement where each call's media pipeline runs
     * @param pending outbound calls started through the REST API, consulted at registration
     */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            MediaPlacement placement, PendingCalls pending) {
        this(config, sinks, registry, events, placement, pending, null);
    }

    /**
     * @param placement where each call's media pipeline runs
     * @param pending outbound calls started through the REST API on this node
     * @param cluster the cluster engine once it exists (claims made earlier wait for it), or null
     *     for none
     */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            MediaPlacement placement, PendingCalls pending, CompletionStage<Cluster> cluster) {
        this.config = config;
        this.cluster = cluster;
        this.pending = pending;
        this.sinks = Map.copyOf(sinks);
        this.registry = registry;
        this.events = events;
        this.placement = placement;
    }

    public boolean hasRoute(String route) {
        return config.routes().containsKey(route);
    }

    public CallRegistry registry() {
        return registry;
    }

    public EventBus events() {
        return events;
    }

    /**
     * Claims {@code callId} for this node. The stage completes on any thread, never exceptionally,
     * within about {@code relay.cluster.command-timeout}; at once without a cluster or with a
     * cluster of one. Whatever it brings must reach {@link #create} or {@link CallClaim#release}.
     *
     * @param pathRoute the route the upgrade path selected
     */
    public CompletionStage<CallClaim> claim(String callId, String pathRoute, String mobileNo) {
        if (cluster == null) {
            return CompletableFuture.completedFuture(new CallClaim(callId, pathRoute, mobileNo, null, null));
        }
        CallRecord record = new CallRecord(callId, pathRoute, mobileNo, System.currentTimeMillis());
        return cluster.thenCompose(c -> c.claim(record).handle((answer, error) -> new CallClaim(callId, pathRoute,
                        mobileNo, error == null ? answer : new Claim(Claim.Outcome.UNAVAILABLE, null, null), c)))
                // The relay stopped before it joined: nothing was registered, so nothing to give back.
                .exceptionally(e -> new CallClaim(callId, pathRoute, mobileNo, null, null));
    }

    /** Claims and creates at once; for callers that know the claim is immediate (tests, no cluster). */
    public Result create(String callId, String pathRoute, String mobileNo, EventLoop loop, Call.Control control) {
        return create(claim(callId, pathRoute, mobileNo).toCompletableFuture().getNow(null), loop, control);
    }

    /**
     * Builds the call {@code claim} was made for on {@code loop} (the socket's IO loop, which must
     * be the caller's thread). On refusal the claim is released here; on success the call owns it.
     */
    public Result create(CallClaim claim, EventLoop loop, Call.Control control) {
        String callId = claim.callId();
        if (claim.duplicate()) {
            return new Result(null, Refusal.DUPLICATE_CALL_ID);
        }
        PendingCalls.Pending local = pending.take(callId);
        PendingCall fromCluster = claim.pending();
        PendingCalls.Pending outbound = fromCluster != null
                ? new PendingCalls.Pending(fromCluster.route(), fromCluster.webhookUrl()) : local;
        String route = outbound == null ? claim.pathRoute() : outbound.route();
        List<String> sinkNames = config.routes().get(route);
        if (sinkNames == null) {
            claim.release();
            return new Result(null, Refusal.UNKNOWN_ROUTE);
        }
        if (registry.isLive(callId)) {
            claim.release();
            return new Result(null, Refusal.DUPLICATE_CALL_ID);
        }
        String mobileNo = claim.mobileNo();
        CallLine line = new CallLine(loop, control);
        CallContext context = new CallContext(callId, route, mobileNo, System.currentTimeMillis(), events, loop,
                line);
        List<Sink> callSinks = new ArrayList<>(sinkNames.size());
        for (String name : sinkNames) {
            callSinks.add(sinks.get(name).create(context));
        }
        CallStats stats = new CallStats();
        Fanout fanout = new Fanout(callSinks);
        CallPipeline pipeline = new CallPipeline(context, stats, fanout, config.media());
        MediaIngress ingress = placement.place(pipeline, loop, stats);
        if (ingress == null) {
            claim.release();
            return new Result(null, Refusal.OVERLOADED);
        }
        Call call = new Call(context, stats, ingress, fanout, line, registry, claim);
        ingress.onFailure(() -> call.hangUp(1011, "internal error"));
        if (!registry.register(call)) {
            ingress.close("duplicate call id", () -> {});
            claim.release();
            return new Result(null, Refusal.DUPLICATE_CALL_ID);
        }
        events.publish(CallEvent.of("call.started", callId, startedData(route, mobileNo, outbound)));
        return new Result(call, null);
    }

    private static Map<String, Object> startedData(String route, String mobileNo, PendingCalls.Pending outbound) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("route", route);
        data.put("mobileNo", mobileNo);
        data.put("outbound", outbound != null);
        if (outbound != null && outbound.webhookUrl() != null) {
            data.put("webhook", outbound.webhookUrl());
        }
        return data;
    }
}
