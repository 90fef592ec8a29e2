package dev.relay.core.ingress;

import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP phase of a telephony connection: routes {@code GET {path}} and {@code GET {path}/{route}}
 * to a WebSocket upgrade, checks the auth token, hands the provider's webhook path to its route,
 * and answers every other request with a plain status. After the handshake it replaces itself with
 * the frame pipeline and a {@link ProtocolDetector}.
 */
public final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final CallFactory calls;
    private final TelephonyConfig config;
    private final boolean tls;
    private final ControlRoute webhook;

    public UpgradeHandler(CallFactory calls, TelephonyConfig config) {
        this(calls, config, null);
    }

    /** @param webhook served at its {@link ControlRoute#pattern()} (a literal path), or null */
    public UpgradeHandler(CallFactory calls, TelephonyConfig config, ControlRoute webhook) {
        this.calls = calls;
        this.config = config;
        this.tls = config.tls().enabled();
        this.webhook = webhook;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "bad request");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (webhook != null && uri.path().equals(webhook.pattern())) {
            serveWebhook(ctx, request, uri);
            return;
        }
        String route = routeOf(uri.path());
        if (route == null) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "not found");
            return;
        }
        if (!calls.hasRoute(route)) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "unknown route " + route);
            return;
        }
        if (request.method() != HttpMethod.GET || !request.headers().containsValue(
                HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, HttpResponseStatus.UPGRADE_REQUIRED, "WebSocket upgrade required");
            return;
        }
        String scheme = tls ? "wss" : "ws";
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                scheme + "://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + uri.path(), null,
                WebSocketDecoderConfig.newBuilder()
                        .maxFramePayloadLength(config.maxMessageBytes())
                        // The violation reaches TelephonySocketHandler, which sends the close
                        // code and keeps reading: Netty's own close shut TCP while a peer was
                        // still writing (a 2 MiB message), and the peer saw a reset, not 1009.
                        .closeOnProtocolViolation(false)
                        .build());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        String rawCallId = first(uri.parameters().get("callId"));
        String authFailure = authFailure(request, uri);
        handshaker.handshake(ctx.channel(), request).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            ChannelPipeline p = ctx.pipeline();
            if (p.get("handshake-timeout") != null) {
                p.remove("handshake-timeout");
            }
            if (p.get(WebhookBodyLimit.NAME) != null) {
                p.remove(WebhookBodyLimit.NAME);
            }
            p.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxMessageBytes()));
            p.addLast("idle", new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS));
            p.addLast("detect", new ProtocolDetector(new SocketSetup(calls, config, route, rawCallId), authFailure));
            p.remove(this);
        });
    }

    private void serveWebhook(ChannelHandlerContext ctx, FullHttpRequest request, QueryStringDecoder uri) {
        if (!webhook.accepts(request.method().name())) {
            respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + webhook.method());
            return;
        }
        ControlRequest control = new ControlRequest(request.method().name(), uri.path(), Map.of(),
                uri.parameters(), request.headers(), ByteBufUtil.getBytes(request.content()));
        webhook.handle(control).whenComplete((response, error) -> ctx.executor().execute(() -> {
            ControlResponse r = error == null ? response
                    : ControlResponse.error(500, "internal_error", "webhook handling failed");
            ByteBuf body = Unpooled.wrappedBuffer(r.body());
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(r.status()), body);
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            HttpUtil.setContentLength(out, body.readableBytes());
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
        }));
    }

    /** The route an upgrade path selects, or null when the path is not the telephony path. */
    String routeOf(String path) {
        String base = config.path();
        if (path.equals(base)) {
            return "default";
        }
        if (path.startsWith(base) && path.length() > base.length() + 1 && path.charAt(base.length()) == '/') {
            String route = path.substring(base.length() + 1);
            return route.indexOf('/') < 0 ? route : null;
        }
        return null;
    }

    private String authFailure(FullHttpRequest request, QueryStringDecoder uri) {
        List<String> tokens = config.authTokens();
        if (tokens.isEmpty()) {
            return null;
        }
        String presented = first(uri.parameters().get("token"));
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (presented == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        }
        if (presented == null) {
            return "missing token";
        }
        byte[] given = presented.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (String token : tokens) {
            ok |= MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
        }
        return ok ? null : "invalid token";
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, body.readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
