package dev.relay.bench.fakes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Engine.IO handshake request: checks path, {@code EIO=4} and {@code transport=websocket}
 * (answering with Engine.IO's JSON errors otherwise), then upgrades to WebSocket and hands the
 * channel to a {@link FakeEngineIoSocket}.
 */
final class SocketIoUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final FakeSocketIoServer.Options options;
    private final FakeSocketIoServer.Listener listener;
    private final FakeSocketIoServer.Stats stats;

    SocketIoUpgrade(FakeSocketIoServer.Options options, FakeSocketIoServer.Listener listener,
            FakeSocketIoServer.Stats stats) {
        this.options = options;
        this.listener = listener;
        this.stats = stats;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path().endsWith("/") ? uri.path() : uri.path() + "/";
        if (!path.equals(options.path)) {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "not found");
            return;
        }
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            query.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        if (!"4".equals(query.get("EIO"))) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "application/json",
                    "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
            return;
        }
        if (!"websocket".equals(query.get("transport"))) {
            respond(ctx, HttpResponseStatus.BAD_REQUEST, "application/json",
                    "{\"code\":0,\"message\":\"Transport unknown\"}");
            return;
        }
        String location = (options.ssl != null ? "wss://" : "ws://") + request.headers().get(HttpHeaderNames.HOST,
                "127.0.0.1") + uri.path();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(location, null,
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(options.maxPayloadBytes).build());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        FakeEngineIoSocket socket = new FakeEngineIoSocket(options, listener, stats, Map.copyOf(query),
                Map.copyOf(headers));
        ChannelFuture upgraded = handshaker.handshake(ctx.channel(), request);
        // Audio attachments reach the socket as views, without Netty's frame objects (ClientFrameReader).
        ctx.pipeline().replace("wsdecoder", "ws-frames", new ClientFrameReader(options.maxPayloadBytes, socket));
        upgraded.addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            ctx.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(options.maxPayloadBytes));
            ctx.pipeline().addLast("socket-io", socket);
            ctx.pipeline().remove(this);
            socket.open();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.protocolErrors.increment();
        ctx.close();
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String text) {
        ByteBuf body = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        HttpUtil.setContentLength(response, body.readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
