package dev.relay.core.call;

import dev.relay.core.config.DspConfig;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.dsp.DspLoops;
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
 * Builds a registered call: its route's sinks, its pipeline, and the media path placement chosen
 * by {@code relay.dsp.mode}. Thread-safe; called on IO loops.
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
    private final DspLoops dsp;
    private final PendingCalls pending;
    /** The jitter-buffer clock of each IO loop's inline calls. */
    private final Map<EventLoop, LoopTicker> tickers = new java.util.concurrent.ConcurrentHashMap<>();

    /** @param dsp the DSP threads, or null in inline mode */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            DspLoops dsp) {
        this(config, sinks, registry, events, dsp, new PendingCalls());
    }

    /**
     * @param dsp the DSP threads, or null in inline mode
     * @param pending outbound calls started through the REST API, consulted at registration
     */
    public CallFactory(RelayConfig config, Map<String, SinkFactory> sinks, CallRegistry registry, EventBus events,
            DspLoops dsp, PendingCalls pending) {
        this.config = config;
        this.pending = pending;
        this.sinks = Map.copyOf(sinks);
        this.registry = registry;
        this.events = events;
        this.dsp = dsp;
        if (config.dsp().mode() == DspConfig.Mode.DEDICATED && dsp == null) {
            throw new IllegalArgumentException("dedicated mode needs DSP loops");
        }
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
        MediaIngress ingress;
        if (dsp == null) {
            ingress = new InlineIngress(pipeline, tickers.computeIfAbsent(loop, LoopTicker::new));
        } else {
            ingress = dsp.attach(pipeline, config.media().maxPayloadBytes(), stats::countRingDrop);
            if (ingress == null) {
                return new Result(null, Refusal.OVERLOADED);
            }
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
