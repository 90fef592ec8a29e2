package dev.relay.core.call;

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

/**
 * Builds a registered call: its route's sinks, its pipeline, and its media path, placed by the
 * {@link MediaPlacement} the relay chose ({@code relay.dsp.mode}). Thread-safe; called on IO
 * loops.
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

    /** @param placement where each call's media pipeline runs */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            MediaPlacement placement) {
        this(config, sinks, registry, events, placement, new PendingCalls());
    }

    /**
     * @param placement where each call's media pipeline runs
     * @param pending outbound calls started through the REST API, consulted at registration
     */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            MediaPlacement placement, PendingCalls pending) {
        this.config = config;
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
     * Registers a call on {@code loop} (the socket's IO loop, which must be the caller's thread).
     *
     * @param pathRoute the route the upgrade path selected; a {@link PendingCalls} entry for
     *     {@code callId} (an outbound call started through the REST API) overrides it
     */
    public Result create(String callId, String pathRoute, String mobileNo, EventLoop loop, Call.Control control) {
        PendingCalls.Pending outbound = pending.take(callId);
        String route = outbound == null ? pathRoute : outbound.route();
        List<String> sinkNames = config.routes().get(route);
        if (sinkNames == null) {
            return new Result(null, Refusal.UNKNOWN_ROUTE);
        }
        if (registry.isLive(callId)) {
            return new Result(null, Refusal.DUPLICATE_CALL_ID);
        }
        CallContext context = new CallContext(callId, route, mobileNo, System.currentTimeMillis(), events, loop,
                Call.audioOf(loop, control));
        List<Sink> callSinks = new ArrayList<>(sinkNames.size());
        for (String name : sinkNames) {
            callSinks.add(sinks.get(name).create(context));
        }
        CallStats stats = new CallStats();
        Fanout fanout = new Fanout(callSinks);
        CallPipeline pipeline = new CallPipeline(context, stats, fanout, config.media());
        MediaIngress ingress = placement.place(pipeline, loop, stats);
        if (ingress == null) {
            return new Result(null, Refusal.OVERLOADED);
        }
        Call call = new Call(context, stats, ingress, fanout, loop, control, registry);
        ingress.onFailure(() -> call.hangUp(1011, "internal error"));
        if (!registry.register(call)) {
            ingress.close("duplicate call id", () -> {});
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
