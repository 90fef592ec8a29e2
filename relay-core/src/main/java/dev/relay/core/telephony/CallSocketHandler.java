package dev.relay.core.telephony;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;
import io.netty.buffer.ByteBuf;
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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One telephony WebSocket after the upgrade: a state machine that detects the wire format from
 * the first frame (Alohaa JSON, Media Streams envelope, or raw PCM16), registers the call, feeds
 * its media path, and closes with the SPEC §4.1 code for every way it can end.
 *
 * <p>Runs on the socket's IO loop; frames are released here. Protocol specifics live in the
 * {@link ProtocolSession} chosen by the first frame.
 */
public final class CallSocketHandler extends ChannelInboundHandlerAdapter implements Call.Control {
    private static final Logger log = LoggerFactory.getLogger(CallSocketHandler.class);

    private final CallFactory calls;
    private final TelephonyConfig config;
    private final String route;
    private final String rawCallId;
    private final String authFailure;

    private ChannelHandlerContext ctx;
    private volatile ProtocolSession session;
    private ScheduledFuture<?> registrationTimer;
    private int malformed;
    private boolean closing;

    /**
     * @param route route chosen by the upgrade path
     * @param rawCallId call id for raw PCM streams ({@code ?callId=}), or null to generate one
     * @param authFailure why the upgrade request failed auth, or null when it passed
     */
    public CallSocketHandler(CallFactory calls, TelephonyConfig config, String route, String rawCallId,
            String authFailure) {
        this.calls = calls;
        this.config = config;
        this.route = route;
        this.rawCallId = rawCallId;
        this.authFailure = authFailure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (authFailure != null) {
            TelephonyCounters.reject("auth_failed");
            close(CloseCodes.POLICY, authFailure);
            return;
        }
        registrationTimer = ctx.executor().schedule(this::registrationTimedOut,
                config.registrationTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) {
                if (msg instanceof CloseWebSocketFrame) {
                    ctx.close(); // the peer answered our close frame: the handshake is complete
                }
                return;
            }
            if (!(msg instanceof WebSocketFrame frame)) {
                return;
            }
            if (frame instanceof TextWebSocketFrame) {
                onText(frame.content());
            } else if (frame instanceof BinaryWebSocketFrame) {
                onBinary(frame.content());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                onPeerClose(close);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onText(ByteBuf content) {
        if (session == null) {
            session = ProtocolSession.forFirstText(this, content);
        }
        session.onText(content, System.nanoTime());
    }

    private void onBinary(ByteBuf content) {
        if (session == null) {
            session = ProtocolSession.forFirstBinary(this, content);
        }
        session.onBinary(content, System.nanoTime());
    }

    private void onPeerClose(CloseWebSocketFrame close) {
        int code = close.statusCode();
        String reason = "peer closed" + (code > 0 ? " " + code : "");
        closing = true;
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
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
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
        if (cause instanceof TooLongFrameException
                || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
                        && c.closeStatus().code() == CloseCodes.TOO_BIG) {
            TelephonyCounters.reject("message_too_big");
            close(CloseCodes.TOO_BIG, "message over " + config.maxMessageBytes() + " bytes");
        } else if (cause instanceof CorruptedWebSocketFrameException) {
            TelephonyCounters.reject("websocket_protocol");
            close(CloseCodes.PROTOCOL_ERROR, "websocket protocol error");
        } else if (cause instanceof java.io.IOException) {
            log.debug("telephony socket error callId={}", callIdForLog(), cause);
            ctx.close();
        } else {
            log.error("telephony handler failed callId={}", callIdForLog(), cause);
            close(CloseCodes.INTERNAL_ERROR, "internal error");
        }
    }

    // ---- called by sessions ----

    /** Registers the call; on refusal closes the socket and returns null. */
    Call register(String callId, String mobileNo) {
        cancelRegistrationTimer();
        CallFactory.Result result = calls.create(callId, route, mobileNo, ctx.channel().eventLoop(), this);
        if (result.call() == null) {
            switch (result.refusal()) {
                case DUPLICATE_CALL_ID -> {
                    TelephonyCounters.reject("duplicate_call_id");
                    close(CloseCodes.POLICY, "callId already live");
                }
                case UNKNOWN_ROUTE -> close(CloseCodes.POLICY, "unknown route");
                default -> close(CloseCodes.INTERNAL_ERROR, "relay overloaded");
            }
            return null;
        }
        log.info("call registered callId={} route={} protocol={}", callId, result.call().context().route(),
                session.name());
        return result.call();
    }

    /** A malformed or unexpected message: counted, and past the threshold the socket closes 1002. */
    void malformed(String reason) {
        TelephonyCounters.reject(reason);
        if (log.isDebugEnabled()) {
            log.debug("malformed telephony message reason={} callId={}", reason, callIdForLog());
        }
        if (++malformed > config.malformedThreshold()) {
            close(CloseCodes.PROTOCOL_ERROR, "too many malformed messages (last: " + reason + ")");
        }
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    TelephonyConfig config() {
        return config;
    }

    String rawCallId() {
        return rawCallId;
    }

    @Override
    public void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        cancelRegistrationTimer();
        log.info("closing telephony socket code={} reason='{}' callId={}", code, reason, callIdForLog());
        // The socket closes when the peer answers with its close frame (or at the latest 2 s later).
        // Closing it right after the write reset the connection whenever the peer's media was still
        // unread, and the caller saw 1006 instead of this code (a quarter of 100 streaming callers).
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.executor().schedule(() -> ctx.close(), 2, TimeUnit.SECONDS);
        releaseCall(reason);
    }

    boolean closing() {
        return closing;
    }

    @Override
    public void sendAudio(byte[] ulaw, int offset, int length) {
        if (!closing && session != null) {
            session.sendAudio(ulaw, offset, length);
        }
    }

    @Override
    public void sendGreeting(byte[] ulaw, int offset, int length) {
        if (!closing && session != null) {
            session.sendGreeting(ulaw, offset, length);
        }
    }

    @Override
    public boolean canPlayAudio() {
        // The session is fixed by the first frame, before the call exists, and never changes.
        ProtocolSession s = session;
        return s != null && s.canPlayAudio();
    }

    @Override
    public void sendInterrupt() {
        if (!closing && session != null) {
            session.sendInterrupt();
        }
    }

    private void registrationTimedOut() {
        if (session == null || !session.registered()) {
            TelephonyCounters.reject("registration_timeout");
            close(CloseCodes.POLICY, "no registration within " + config.registrationTimeoutMs() + " ms");
        }
    }

    private void cancelRegistrationTimer() {
        if (registrationTimer != null) {
            registrationTimer.cancel(false);
            registrationTimer = null;
        }
    }

    private void releaseCall(String reason) {
        if (session != null) {
            session.release(reason);
        }
    }

    private String callIdForLog() {
        return session == null ? "-" : session.callIdForLog();
    }
}
