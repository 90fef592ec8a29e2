package dev.relay.core.ingress;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of a telephony WebSocket after the upgrade, shared by the two handlers that own it in
 * turn: the {@link ProtocolDetector} until the first data frame, then the {@link CallProtocol} it
 * installs. Here: the registration deadline (counted from the upgrade; missed → 1008), the idle
 * timeout (1000), the liveness pings ({@link PingSweep}: unanswered → 1001), the peer's close,
 * ping/pong, frame-level errors (1009, 1002, 1011) and the close itself (SPEC §4.1).
 *
 * <p>IO loop only. Control frames are released here; a text or binary frame is handed to
 * {@link #onDataFrame}, which owns it from then on.
 */
abstract class TelephonySocketHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TelephonySocketHandler.class);

    final SocketSetup setup;
    ChannelHandlerContext ctx;
    /** On the loop's ticker; fixed at the upgrade and handed on with the socket. */
    private long registrationDeadlineNanos;
    private boolean hasDeadline;
    private ScheduledFuture<?> registrationTimer;
    private boolean closing;
    /** This socket in its loop's {@link PingSweep}; null while pings are off. Handed on with the socket. */
    PingSweep.Liveness liveness;

    /** A handler for a socket upgraded just now: the registration deadline starts when it is added. */
    TelephonySocketHandler(SocketSetup setup) {
        this.setup = setup;
    }

    /** A handler taking over a socket whose registration deadline was set at its upgrade. */
    TelephonySocketHandler(SocketSetup setup, long registrationDeadlineNanos) {
        this.setup = setup;
        this.registrationDeadlineNanos = registrationDeadlineNanos;
        this.hasDeadline = true;
    }

    /** Takes ownership of a text or binary frame (and releases it or passes it on). */
    abstract void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame);

    /** True once the socket's call is registered. */
    boolean registered() {
        return false;
    }

    /** Ends the socket's call, if it has one. */
    void releaseCall(String reason) {}

    String callIdForLog() {
        return "-";
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long pingIntervalMs = setup.config().pingIntervalMs();
        if (liveness == null && pingIntervalMs > 0) {
            liveness = PingSweep.on(ctx.channel().eventLoop(), pingIntervalMs).watch(ctx.channel());
        }
        long now = ctx.executor().ticker().nanoTime();
        if (!hasDeadline) {
            registrationDeadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(setup.config().registrationTimeoutMs());
            hasDeadline = true;
        }
        if (!closing && !registered()) {
            registrationTimer = ctx.executor().schedule(this::registrationTimedOut,
                    Math.max(0, registrationDeadlineNanos - now), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelRegistrationTimer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (liveness != null) {
            liveness.heard = true; // a pong or any message: the caller is there
        }
        if (!closing && (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame)) {
            onDataFrame(ctx, (WebSocketFrame) msg);
            return;
        }
        try {
            if (closing) {
                if (msg instanceof CloseWebSocketFrame) {
                    ctx.close(); // the peer answered our close frame: the handshake is complete
                }
                return;
            }
            if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                onPeerClose(close);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onPeerClose(CloseWebSocketFrame close) {
        int code = close.statusCode();
        String reason = "peer closed" + (code > 0 ? " " + code : "");
        closing = true;
        cancelRegistrationTimer();
        ctx.writeAndFlush(new CloseWebSocketFrame(code > 0 ? code : CloseCodes.NORMAL, ""))
                .addListener(ChannelFutureListener.CLOSE);
        releaseCall(reason);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            TelephonyCounters.reject("idle_timeout");
            close(CloseCodes.NORMAL, "idle timeout");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        cancelRegistrationTimer();
        releaseCall("socket closed");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException) {
            // From the frame decoder, which can frame nothing after it: the rest of the stream is
            // read and dropped while the peer gets our close frame (see DiscardingDecoder).
            DiscardingDecoder.replaceDecoder(ctx.pipeline());
        }
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                        && c.closeStatus().code() == CloseCodes.TOO_BIG) {
            // A single frame over the limit (decoder) or a fragmented message whose parts add up
            // past it (aggregator, which skips the rest of that message by itself).
            TelephonyCounters.reject("message_too_big");
            close(CloseCodes.TOO_BIG, "message over " + setup.config().maxMessageBytes() + " bytes");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            TelephonyCounters.reject("websocket_protocol");
            close(CloseCodes.PROTOCOL_ERROR, "websocket protocol error");
        } else if (cause instanceof IOException) {
            log.debug("telephony socket error callId={}", callIdForLog(), cause);
            ctx.close();
        } else {
            log.error("telephony handler failed callId={}", callIdForLog(), cause);
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    /** Sends a close frame with {@code code}, closes the socket and ends its call. Idempotent. */
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelRegistrationTimer();
        log.info("closing telephony socket code={} reason='{}' callId={}", code, reason, callIdForLog());
        // The socket closes when the peer answers with its close frame or its FIN (or at the latest
        // after relay.telephony.close-timeout). Closing it right after the write reset the
        // connection whenever the peer's media was still unread, and the caller saw 1006 instead
        // of this code.
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        // Keep reading (a socket waiting for its cluster claim had stopped): what the peer still
        // sends is discarded, and its close frame ends the wait.
        ctx.channel().config().setAutoRead(true);
        ctx.executor().schedule(() -> ctx.close(), setup.config().closeTimeoutMs(),
                TimeUnit.MILLISECONDS);
        releaseCall(reason);
    }

    final boolean closing() {
        return closing;
    }

    /** When the socket must have registered its call, on this loop's ticker. */
    final long registrationDeadlineNanos() {
        return registrationDeadlineNanos;
    }

    final void cancelRegistrationTimer() {
        if (registrationTimer != null) {
            registrationTimer.cancel(false);
            registrationTimer = null;
        }
    }

    private void registrationTimedOut() {
        registrationTimer = null;
        if (!registered()) {
            TelephonyCounters.reject("registration_timeout");
            close(CloseCodes.POLICY, "no registration within " + setup.config().registrationTimeoutMs() + " ms");
        }
    }
}
