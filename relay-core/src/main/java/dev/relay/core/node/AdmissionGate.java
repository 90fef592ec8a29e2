package dev.relay.core.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Admission at the telephony port, before the WebSocket exists (SPEC §8.1, §8.2): a WebSocket
 * upgrade request is refused with HTTP 503 and {@code Retry-After} while a drain's accept grace is
 * over, while every call slot is taken, or while the relay's CPU is over its limit, so a provider
 * or balancer can retry elsewhere. An admitted upgrade holds a slot until its socket closes, and
 * the gate leaves that socket's pipeline. Other requests (the provider's webhook, errors) pass.
 *
 * <p>Sits after the HTTP aggregator and before the upgrade handler. Sharable: it keeps no state of
 * its own; runs on the socket's IO loop, without locks or blocking. Refused requests are released
 * here; admitted ones are passed on.
 */
@ChannelHandler.Sharable
public final class AdmissionGate extends ChannelInboundHandlerAdapter {
    /** Pipeline name. */
    public static final String NAME = "admission";
    /** Seconds a refused client is asked to wait: a balancer retries elsewhere sooner anyway. */
    static final int RETRY_AFTER_S = 1;

    private final Availability state;
    private final Admission admission;
    private final Map<Admission.Reason, byte[]> bodies;

    public AdmissionGate(Availability state, Admission admission) {
        this.state = state;
        this.admission = admission;
        this.bodies = Map.of(
                Admission.Reason.DRAINING, body("draining", "relay is draining: call another relay"),
                Admission.Reason.MAX_CALLS, body("max_calls", "relay is full: call another relay"),
                Admission.Reason.CPU, body("cpu", "relay is over its CPU limit: call another relay"));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || !isWebSocketUpgrade(request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Admission.Reason refusal = state.refusesUpgrades(System.nanoTime())
                ? admission.refuse(Admission.Reason.DRAINING)
                : admission.tryAcquire();
        if (refusal != null) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, refusal);
            return;
        }
        ctx.channel().closeFuture().addListener(f -> admission.release());
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(msg);
    }

    static boolean isWebSocketUpgrade(FullHttpRequest request) {
        return request.method() == HttpMethod.GET
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void refuse(ChannelHandlerContext ctx, Admission.Reason reason) {
        ByteBuf body = Unpooled.wrappedBuffer(bodies.get(reason));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SERVICE_UNAVAILABLE, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_S)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setContentLength(response, body.readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The control API's error shape (SPEC §6); code and message are constants needing no escapes. */
    private static byte[] body(String code, String message) {
        return ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
