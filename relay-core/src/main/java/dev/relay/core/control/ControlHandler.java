package dev.relay.core.control;

import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.UpgradeRoute;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin connection after aggregation: routes each request, checks the bearer token, runs the
 * route and writes its response, one request at a time.
 *
 * <p>Responses must leave in request order, and routes may answer late from other threads, so a
 * connection serves one request at a time: reading pauses while one is in flight, and requests a
 * client pipelined into the same read wait in a small queue (more than {@value #MAX_PIPELINED}
 * closes the connection). Every request is released here, including queued ones when the
 * connection drops. IO loop only.
 */
final class ControlHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ControlHandler.class);
    private static final int MAX_PIPELINED = 16;

    private final RouteTable routes;
    /** UTF-8 token, or null when auth is off. */
    private final byte[] token;
    private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
    private boolean inFlight;

    ControlHandler(RouteTable routes, byte[] token) {
        this.routes = routes;
        this.token = token;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (inFlight) {
            if (pipelined.size() >= MAX_PIPELINED) {
                request.release();
                ctx.close();
                return;
            }
            pipelined.add(request);
            return;
        }
        serve(ctx, request);
    }

    private void serve(ChannelHandlerContext ctx, FullHttpRequest request) {
        inFlight = true;
        ctx.channel().config().setAutoRead(false);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        CompletableFuture<ControlResponse> response;
        try {
            if (!request.decoderResult().isSuccess()) {
                keepAlive = false;
                response = done(ControlResponse.error(400, "bad_request", "malformed HTTP request"));
            } else {
                response = dispatch(ctx, request);
                if (response == null) {
                    return; // upgraded: the connection is no longer HTTP
                }
            }
        } catch (RuntimeException e) {
            log.error("control route failed: {} {}", request.method(), request.uri(), e);
            response = done(internalError());
        } finally {
            request.release();
        }
        boolean close = !keepAlive;
        response.whenComplete((r, error) -> {
            ControlResponse out = error == null ? r : failure(error);
            if (ctx.executor().inEventLoop()) {
                write(ctx, out, close);
            } else {
                ctx.executor().execute(() -> write(ctx, out, close));
            }
        });
    }

    /** The route's answer, or null when the connection was handed to an upgrade route. */
    private CompletableFuture<ControlResponse> dispatch(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String method = request.method().name();
        RouteTable.Lookup lookup = routes.lookup(method, uri.rawPath());
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
        if ((!lookup.found() || lookup.route().requiresAuth()) && !authorized(request, uri, upgrade)) {
            return done(ControlResponse.error(401, "unauthorized", "missing or invalid bearer token"));
        }
        if (lookup.methodNotAllowed()) {
            return done(ControlResponse.error(405, "method_not_allowed",
                    method + " not allowed on " + uri.path() + " (allowed: " + String.join(", ",
                    lookup.allowed()) + ")"));
        }
        if (!lookup.found()) {
            return done(ControlResponse.error(404, "not_found", "no endpoint " + uri.path()));
        }
        byte[] body = ByteBufUtil.getBytes(request.content());
        ControlRequest parsed = new ControlRequest(method, uri.path(), lookup.params(), uri.parameters(),
                request.headers(), body);
        if (upgrade && lookup.route() instanceof UpgradeRoute u) {
            upgrade(ctx, u, request, parsed);
            return null;
        }
        CompletableFuture<ControlResponse> response = lookup.route().handle(parsed);
        return response != null ? response : done(internalError());
    }

    private void upgrade(ChannelHandlerContext ctx, UpgradeRoute route, FullHttpRequest request,
            ControlRequest parsed) {
        ChannelFuture handshake = route.upgrade(ctx, request, parsed);
        handshake.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                // The route has written its refusal; close once it is flushed.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            releasePipelined();
            if (ctx.pipeline().get(ControlInitializer.IDLE) != null) {
                ctx.pipeline().remove(ControlInitializer.IDLE);
            }
            ctx.pipeline().remove(this);
            f.channel().config().setAutoRead(true);
        });
    }

    /**
     * The bearer token from {@code Authorization}, or for WebSocket upgrades also from
     * {@code ?token=} (browsers cannot set headers on a WebSocket), compared in constant time.
     */
    private boolean authorized(FullHttpRequest request, QueryStringDecoder uri, boolean upgrade) {
        if (token == null) {
            return true;
        }
        String presented = null;
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        } else if (upgrade && uri.parameters().containsKey("token")) {
            presented = uri.parameters().get("token").get(0);
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    private void write(ChannelHandlerContext ctx, ControlResponse r, boolean close) {
        if (!ctx.channel().isActive()) {
            releasePipelined();
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(r.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (r.status() == 401) {
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"relay-control\"");
        }
        HttpUtil.setContentLength(response, r.body().length);
        HttpUtil.setKeepAlive(response, !close);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (close) {
            written.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            inFlight = false;
            FullHttpRequest next = pipelined.poll();
            if (next != null) {
                serve(ctx, next);
            } else {
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private static ControlResponse failure(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        log.error("control route failed", cause);
        return internalError();
    }

    private static ControlResponse internalError() {
        return ControlResponse.error(500, "internal_error", "internal error (see the relay log)");
    }

    private static CompletableFuture<ControlResponse> done(ControlResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    private void releasePipelined() {
        FullHttpRequest r;
        while ((r = pipelined.poll()) != null) {
            r.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (!inFlight) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePipelined();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            log.debug("control connection error", cause);
        } else {
            log.warn("control connection failed", cause);
        }
        ctx.close();
    }
}
