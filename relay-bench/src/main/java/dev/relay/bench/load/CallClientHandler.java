package dev.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * The Alohaa side of one call's socket: WebSocket upgrade, then {@code connected}; on the relay's
 * acknowledgement the call is scheduled and handed to its loop's {@link Pacer}. Afterwards it only
 * counts what the relay sends back (bot audio {@code media}) and notes an unexpected close.
 */
final class CallClientHandler extends ChannelInboundHandlerAdapter {
    private static final ByteBuf CONNECTED = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\"event\":\"connected\"".getBytes(StandardCharsets.US_ASCII)));
    private static final ByteBuf MEDIA = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer("\"event\":\"media\"".getBytes(StandardCharsets.US_ASCII)));

    private final SimCall call;
    private final WebSocketClientHandshaker handshaker;
    private final Pacer pacer;
    private final RunPlan plan;

    CallClientHandler(SimCall call, WebSocketClientHandshaker handshaker, Pacer pacer, RunPlan plan) {
        this.call = call;
        this.handshaker = handshaker;
        this.pacer = pacer;
        this.plan = plan;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        call.activeNanos = System.nanoTime();
        plan.tcp.record(call.activeNanos - call.connectStartNanos);
        call.tlsDoneNanos = call.activeNanos;
        handshaker.handshake(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            call.tlsDoneNanos = System.nanoTime();
            plan.tls.record(call.tlsDoneNanos - call.activeNanos);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!handshaker.isHandshakeComplete()) {
                upgraded(ctx, (FullHttpResponse) msg);
            } else if (msg instanceof TextWebSocketFrame text) {
                onText(text.content());
            } else if (msg instanceof CloseWebSocketFrame close) {
                if (call.state != SimCall.State.DONE) {
                    call.fail("closed by relay: " + close.statusCode() + " " + close.reasonText());
                }
                ctx.close();
            } else if (msg instanceof WebSocketFrame frame) {
                call.botBytes += frame.content().readableBytes();
            }
        } catch (RuntimeException e) {
            call.fail("upgrade failed: " + e.getMessage());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void upgraded(ChannelHandlerContext ctx, FullHttpResponse response) {
        handshaker.finishHandshake(ctx.channel(), response);
        long now = System.nanoTime();
        plan.connect.record(now - call.connectStartNanos);
        plan.upgrade.record(now - call.tlsDoneNanos);
        ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(4 << 20));
        call.state = SimCall.State.REGISTERING;
        call.registerSentNanos = System.nanoTime();
        ctx.writeAndFlush(new TextWebSocketFrame(MediaMessages.connected(call.callId, plan.mobileNo(call.index))));
    }

    private void onText(ByteBuf content) {
        if (call.state == SimCall.State.REGISTERING && ByteBufUtil.indexOf(CONNECTED, content) >= 0) {
            long now = System.nanoTime();
            plan.registration.record(now - call.registerSentNanos);
            plan.registered(call);
            call.schedule(plan.epochNanos, now, plan.startMarginNanos, plan.hangUpNanos(call.index));
            pacer.add(call);
        } else if (ByteBufUtil.indexOf(MEDIA, content) >= 0) {
            if (plan.botAudio != null) {
                plan.botAudio.received(call, System.nanoTime());
            }
            call.botMessages++;
            call.botBytes += content.readableBytes();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (call.state != SimCall.State.DONE) {
            call.fail(call.state == SimCall.State.CONNECTING ? "upgrade not completed" : "connection closed");
        }
        plan.closed(call);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        call.fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        ctx.close();
    }
}
