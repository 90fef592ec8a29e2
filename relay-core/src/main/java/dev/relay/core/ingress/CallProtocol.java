package dev.relay.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.call.Call;
import dev.relay.core.call.CallFactory;
import dev.relay.core.net.Json;
import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one telephony socket once its wire format is known (SPEC §4): Alohaa JSON
 * ({@link AlohaaProtocol}), the Media Streams envelope ({@link EnvelopeProtocol}) or raw PCM16
 * ({@link RawProtocol}), installed by the {@link ProtocolDetector}. It owns the socket from then on:
 * registers the call, counts malformed messages (past {@code relay.telephony.malformed-threshold}
 * → 1002), feeds the call's media path and is the call's way back ({@link Call.Control}); the
 * rest of the socket's life comes from {@link TelephonySocketHandler}.
 *
 * <p>IO loop only, except {@link #canPlayAudio}, which any thread may ask (the answer is fixed by
 * the protocol class).
 */
abstract class CallProtocol extends TelephonySocketHandler implements Call.Control {
    private static final Logger log = LoggerFactory.getLogger(CallProtocol.class);
    /** For control events only (registration, start); media never goes through a tree. */
    static final ObjectMapper JSON = Json.MAPPER;

    /** The registered call, or null before registration. */
    Call call;
    private int malformed;

    CallProtocol(SocketSetup setup, long registrationDeadlineNanos) {
        super(setup, registrationDeadlineNanos);
    }

    /** The protocol's name in logs. */
    abstract String name();

    abstract void onText(ByteBuf content, long nowNanos);

    abstract void onBinary(ByteBuf content, long nowNanos);

    @Override
    final void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        try {
            if (frame instanceof TextWebSocketFrame) {
                onText(frame.content(), System.nanoTime());
            } else {
                onBinary(frame.content(), System.nanoTime());
            }
        } finally {
            frame.release();
        }
    }

    @Override
    final boolean registered() {
        return call != null;
    }

    @Override
    final void releaseCall(String reason) {
        if (call != null) {
            call.release(reason);
        }
    }

    @Override
    final String callIdForLog() {
        return call == null ? "-" : call.callId();
    }

    /** Registers the call; on refusal closes the socket and returns null. */
    final Call register(String callId, String mobileNo) {
        cancelRegistrationTimer();
        CallFactory.Result result = setup.calls().create(callId, setup.route(), mobileNo, ctx.channel().eventLoop(),
                this);
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
        log.info("call registered callId={} route={} protocol={}", callId, result.call().context().route(), name());
        return result.call();
    }

    /** A malformed or unexpected message: counted, and past the threshold the socket closes 1002. */
    final void malformed(String reason) {
        TelephonyCounters.reject(reason);
        if (log.isDebugEnabled()) {
            log.debug("malformed telephony message reason={} callId={}", reason, callIdForLog());
        }
        if (++malformed > setup.config().malformedThreshold()) {
            close(CloseCodes.PROTOCOL_ERROR, "too many malformed messages (last: " + reason + ")");
        }
    }

    // ---- Call.Control: the way back to the caller ----

    @Override
    public boolean canPlayAudio() {
        return true;
    }

    @Override
    public final void sendAudio(byte[] ulaw, int offset, int length) {
        if (!closing()) {
            writeAudio(ulaw, offset, length);
        }
    }

    @Override
    public final void sendGreeting(byte[] ulaw, int offset, int length) {
        if (!closing()) {
            writeGreeting(ulaw, offset, length);
        }
    }

    @Override
    public final void sendInterrupt() {
        if (!closing()) {
            writeInterrupt();
        }
    }

    /** Plays μ-law 8 kHz audio to the caller; protocols without a way back count it as dropped. */
    void writeAudio(byte[] ulaw, int offset, int length) {
        unsupported();
    }

    void writeGreeting(byte[] ulaw, int offset, int length) {
        unsupported();
    }

    void writeInterrupt() {
        unsupported();
    }

    private void unsupported() {
        TelephonyCounters.reject("outbound_unsupported");
        if (call != null) {
            call.stats().countOutboundDrop();
        }
    }

    /**
     * Writes one outbound message unless the caller has stopped reading (the socket is over its
     * write-buffer high-water mark): then the message is dropped and counted, and the connection
     * and the inbound media carry on. Takes ownership of {@code message}.
     */
    final boolean writeOrDrop(ByteBuf message, int audioBytes) {
        Channel channel = ctx.channel();
        if (!channel.isWritable()) {
            message.release();
            TelephonyCounters.reject("outbound_dropped");
            call.stats().countOutboundDrop();
            return false;
        }
        channel.writeAndFlush(new TextWebSocketFrame(message), channel.voidPromise());
        call.stats().countOutbound(audioBytes);
        return true;
    }

    /**
     * Scans a JSON frame; the decoded payload lands in {@link IoScratch#payload} of this loop.
     * Returns null, with the frame counted as malformed, when the scanner rejects it.
     */
    final MediaEventScanner scan(ByteBuf content) {
        IoScratch scratch = IoScratch.get();
        MediaEventRejection rejection = scratch.scanner.scan(content, scratch.payload, 0);
        if (rejection != MediaEventRejection.NONE) {
            malformed(rejection.label());
            return null;
        }
        return scratch.scanner;
    }

    /** Parses a control message with a tree parser; null (and counted) when it is not JSON. */
    final JsonNode parseControl(ByteBuf content) {
        try {
            return JSON.readTree((InputStream) new ByteBufInputStream(content.duplicate()));
        } catch (IOException e) {
            malformed("invalid_json");
            return null;
        }
    }

    /** Copies a binary frame's bytes into the loop's scratch; -1 (counted) when too large. */
    final int copyToScratch(ByteBuf content, byte[] scratch) {
        int length = content.readableBytes();
        if (length > scratch.length) {
            malformed("payload_too_large");
            return -1;
        }
        content.getBytes(content.readerIndex(), scratch, 0, length);
        return length;
    }
}
