package dev.relay.core.control.events;

import dev.relay.core.cluster.Cluster;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.UpgradeRoute;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * {@code GET /v1/events}: a WebSocket that streams every call event as one text message of
 * {@link EventJson}, optionally only one call's ({@code ?callId=}). With {@code ?scope=cluster}
 * it streams every node's events (SPEC §8.3), each with a {@code node} field: this node's from its
 * own event bus, so they keep flowing while Redis is away, and the other nodes' from the cluster
 * (dropped while Redis is away, counted in {@code relay_cluster_events_dropped_total} by their
 * publishers); a cluster of one streams its own. Each subscriber has a bounded queue
 * ({@code relay.events.subscriber-queue}); one that cannot keep up is closed with 1008
 * {@code too slow} (see {@link EventSubscriber}). A plain GET without the upgrade gets 426; a
 * scope other than {@code local} or {@code cluster} gets 400 before the upgrade.
 */
public final class EventStreamRoute implements UpgradeRoute {
    public static final String PATH = "/v1/events";
    /** Subscribers only send close and ping frames. */
    private static final int MAX_INBOUND_FRAME_BYTES = 4096;

    private final EventBus bus;
    private final int queueCapacity;
    private final Supplier<Cluster> cluster;
    private final AtomicInteger subscribers = new AtomicInteger();

    /** @param queueCapacity events buffered per subscriber before it is dropped */
    public EventStreamRoute(EventBus bus, int queueCapacity) {
        this(bus, queueCapacity, null);
    }

    /**
     * @param queueCapacity events buffered per subscriber before it is dropped
     * @param cluster the cluster engine for {@code ?scope=cluster} ({@code get()} null until the
     *     node has joined), or null for no cluster scope
     */
    public EventStreamRoute(EventBus bus, int queueCapacity, Supplier<Cluster> cluster) {
        this.bus = bus;
        this.queueCapacity = queueCapacity;
        this.cluster = cluster;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String pattern() {
        return PATH;
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        return CompletableFuture.completedFuture(ControlResponse.error(426, "upgrade_required",
                PATH + " is a WebSocket: connect with Upgrade: websocket"));
    }

    @Override
    public ChannelFuture upgrade(ChannelHandlerContext ctx, FullHttpRequest request, ControlRequest parsed) {
        String filter = parsed.queryParam("callId");
        String scope = parsed.queryParam("scope");
        boolean clusterScope = "cluster".equals(scope);
        Cluster engine = clusterScope && cluster != null ? cluster.get() : null;
        if (scope != null && !scope.equals("local") && (!clusterScope || engine == null)) {
            return refuse(ctx, engine == null && clusterScope
                    ? ControlResponse.error(503, "cluster_unavailable", "this node has not joined its cluster yet")
                    : ControlResponse.error(400, "bad_request", "scope must be local or cluster"),
                    new IllegalArgumentException("bad scope " + scope));
        }
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory("ws://" + host + PATH, null,
                WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(MAX_INBOUND_FRAME_BYTES)
                        .closeOnProtocolViolation(true)
                        .build())
                .newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return ctx.newFailedFuture(new IllegalArgumentException("unsupported WebSocket version"));
        }
        ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(ctx.channel(), request);
        } catch (RuntimeException e) {
            return refuse(ctx, ControlResponse.error(400, "bad_request", "bad WebSocket upgrade: " + e.getMessage()),
                    e);
        }
        String localNode = engine == null ? null : engine.nodeId();
        handshake.addListener(f -> {
            if (f.isSuccess()) {
                ctx.pipeline().addLast("events", new EventSubscriber(bus, filter, queueCapacity, subscribers, engine,
                        localNode));
            }
        });
        return handshake;
    }

    /** Answers {@code error} instead of upgrading; the server closes the connection once it is written. */
    private static ChannelFuture refuse(ChannelHandlerContext ctx, ControlResponse error, Exception why) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(error.status()), Unpooled.wrappedBuffer(error.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, error.contentType());
        HttpUtil.setContentLength(r, error.body().length);
        ctx.writeAndFlush(r);
        return ctx.newFailedFuture(why);
    }

    /** Subscribers connected now. */
    public int subscribers() {
        return subscribers.get();
    }
}
