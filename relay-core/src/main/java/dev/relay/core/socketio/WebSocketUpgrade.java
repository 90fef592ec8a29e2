package dev.relay.core.socketio;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The WebSocket client handshake of a Socket.IO connection, behind the HTTP codec: sends the
 * upgrade request ({@code ?EIO=4&transport=websocket&…}, the options' headers) once the channel is
 * active, and reads the one response. On 101 Netty's handshaker swaps the HTTP codec for the
 * WebSocket codec, this handler adds a frame aggregator behind it and removes itself, so the next
 * handler ({@link EngineIoHandler}) sees whole WebSocket frames. Any other answer ends the
 * connection ({@link SocketIoClose} fired up): 401/403 as {@link SocketIoClose.Kind#AUTH_REFUSED},
 * other statuses as {@link SocketIoClose.Kind#REFUSED}, with an excerpt of the body.
 *
 * <p>States: waiting for the response, then either removed (upgraded) or failed (reads dropped).
 * Threads: the channel's event loop; one instance per channel. Releases what it reads.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {
    private final WebSocketClientHandshaker handshaker;
    private final int maxFrameBytes;
    private boolean failed;

    WebSocketUpgrade(SocketIoOptions options) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : options.headers().entrySet()) {
            headers.set(h.getKey(), h.getValue());
        }
        // Masking on (RFC 6455 requires it of clients); no extensions; no Origin: not a browser.
        this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(options.webSocketUri(), WebSocketVersion.V13,
                null, false, headers, options.maxFrameBytes(), true, false, SocketIoConnection.CLOSE_GRACE_MS, false,
                false);
        this.maxFrameBytes = options.maxFrameBytes();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        handshaker.handshake(ctx.channel()).addListener(f -> {
            if (!f.isSuccess()) {
                fail(ctx, SocketIoClose.Kind.NETWORK,
                        "cannot send the upgrade request (" + Excerpts.describe(f.cause()) + ")", 0);
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (failed) {
                return;
            }
            if (msg instanceof FullHttpResponse response) {
                onResponse(ctx, response);
            } else {
                fail(ctx, SocketIoClose.Kind.PROTOCOL,
                        "unexpected " + msg.getClass().getSimpleName() + " before the upgrade", 0);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onResponse(ChannelHandlerContext ctx, FullHttpResponse response) {
        int status = response.status().code();
        if (status != 101) {
            String body = Excerpts.excerpt(response.content().toString(StandardCharsets.UTF_8));
            SocketIoClose.Kind kind = status == 401 || status == 403 ? SocketIoClose.Kind.AUTH_REFUSED
                    : SocketIoClose.Kind.REFUSED;
            fail(ctx, kind, "upgrade refused with HTTP " + status + (body.isEmpty() ? "" : ": " + body), status);
            return;
        }
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (WebSocketHandshakeException e) {
            fail(ctx, SocketIoClose.Kind.PROTOCOL, "bad upgrade response (" + e.getMessage() + ")", status);
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        p.addAfter(p.context(WebSocketFrameDecoder.class).name(), "ws-aggregator",
                new WebSocketFrameAggregator(maxFrameBytes));
        p.remove(this);
    }

    private void fail(ChannelHandlerContext ctx, SocketIoClose.Kind kind, String detail, int httpStatus) {
        if (!failed) {
            failed = true;
            ctx.fireUserEventTriggered(new SocketIoClose(kind, detail, httpStatus));
        }
    }
}
