package dev.relay.bench.floor;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The telephony upgrade of the floor: {@code GET <relay.telephony.path>} (or {@code path/route})
 * becomes a WebSocket through Netty's handshaker, once per call; then {@link FloorCall} replaces
 * the WebSocket frame decoder the handshaker installed, so no media message is decoded into a
 * frame object. Anything else gets a 404. Runs on the socket's event loop.
 */
final class FloorUpgrade extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String path;
    private final boolean tls;
    private final BiFunction<String, ChannelHandlerContext, List<Leg>> legs;

    FloorUpgrade(String path, boolean tls, BiFunction<String, ChannelHandlerContext, List<Leg>> legs) {
        this.path = path;
        this.tls = tls;
        this.legs = legs;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String p = new QueryStringDecoder(request.uri()).path();
        if (!p.equals(path) && !p.startsWith(path + "/")) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                    Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST, "127.0.0.1");
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                (tls ? "wss://" : "ws://") + host + request.uri(), null, false, 1 << 20).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        handshaker.handshake(ctx.channel(), request);
        // The handshaker put its frame decoder in front of the HTTP codec (removed once the 101 is
        // written); the floor's own frame reader takes its place before any frame can arrive.
        ctx.pipeline().replace("wsdecoder", "floor-call", new FloorCall(legs));
        ctx.pipeline().remove(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
