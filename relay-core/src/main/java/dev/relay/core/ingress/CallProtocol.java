package dev.relay.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.call.Call;
import dev.relay.core.call.CallClaim;
import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig.DuplicateCallId;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler of one telephony socket once its wire format is known (SPEC §4): Alohaa JSON
 * ({@link AlohaaProtocol}), the Media Streams envelope ({@link EnvelopeProtocol}) or raw PCM16
 * ({@link RawProtocol}), installed by the {@link ProtocolDetector}. It owns the socket from then on:
 * registers the call, counts malformed messages (past {@code relay.telephony.malformed-threshold}
 * within {@code relay.telephony.malformed-window} → 1002), feeds the call's media path and is the
 * call's way back ({@link Call.Control}); the rest of the socket's life comes from
 * {@link TelephonySocketHandler}.
 *
 * <p><b>Registration waits for the cluster.</b> A call is placed only once the cluster has
 * answered its claim ({@link CallFactory#claim}): the answer decides whether it is placed at all
 * (a callId live on another node is refused with 1008) and on which route (an outbound call
 * started on another node), and the sinks must not open for a call that is then refused. Until
 * the answer, the socket stops reading and the frames already decoded from its last read are held
 * here, in order, and handed to the call once it is placed (or released if it is not). Nothing is
 * lost, the IO loop never waits, and what is held is bounded twice: by one read's worth of bytes,
 * since reading is paused, and in time by the claim's own timeout
 * ({@code relay.cluster.command-timeout}); media sent meanwhile waits in the kernel's socket
 * buffer. The alternative, placing the call at once and undoing it on a duplicate, would open its
 * sinks (and publish {@code call.started}) for a call that must not exist. Without a cluster, or
 * with a cluster of one, the answer is immediate and the call is placed on the spot, as before.
 *
 * <p><b>Taking a live call over.</b> With {@code relay.telephony.duplicate-call-id = resume}, a
 * callId live on this node is not refused: this socket takes the call over ({@link Call#takeOver})
 * and holds its frames, as while claiming, until the call is its own. A callId live on another
 * node is refused 1008 either way: a takeover moves a call between sockets, not between nodes.
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
    /** Malformed messages over the sliding window; null until the first one (a healthy call pays nothing). */
    private MalformedWindow malformed;
    /** True while the cluster is being asked about the callId. */
    private boolean claiming;
    /** Frames decoded while claiming or taking a call over. */
    private final HeldFrames held = new HeldFrames();
    /** The frame being handled, so a protocol can keep it for after the claim ({@link #holdCurrentFrame}). */
    private WebSocketFrame current;

    CallProtocol(SocketSetup setup, long registrationDeadlineNanos) {
        super(setup, registrationDeadlineNanos);
    }

    /** The protocol's name in logs. */
    abstract String name();

    abstract void onText(ByteBuf content, long nowNanos);

    abstract void onBinary(ByteBuf content, long nowNanos);

    @Override
    final void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (claiming) {
            held.add(frame);
            return;
        }
        current = frame;
        try {
            if (frame instanceof TextWebSocketFrame) {
                onText(frame.content(), System.nanoTime());
            } else {
                onBinary(frame.content(), System.nanoTime());
            }
        } finally {
            current = null;
            frame.release();
        }
    }

    @Override
    final boolean registered() {
        return call != null || claiming;
    }

    @Override
    final void releaseCall(String reason) {
        if (call != null) {
            call.release(reason);
        }
        held.releaseAll();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        held.releaseAll();
    }

    @Override
    final String callIdForLog() {
        return call == null ? "-" : call.callId();
    }

    /**
     * Registers the call: claims its id in the cluster, then places it ({@link #onPlaced}) or, on
     * refusal, closes the socket. When the cluster answers at once this happens before returning;
     * otherwise the socket stops reading and holds what it has decoded until the answer.
     */
    final void register(String callId, String mobileNo) {
        cancelRegistrationTimer();
        CompletableFuture<CallClaim> claim = setup.calls().claim(callId, setup.route(), mobileNo)
                .toCompletableFuture();
        if (claim.isDone()) {
            place(claim.getNow(null));
            return;
        }
        claiming = true;
        ctx.channel().config().setAutoRead(false);
        claim.thenAccept(c -> {
            try {
                ctx.executor().execute(() -> claimed(c));
            } catch (RejectedExecutionException e) {
                c.release(); // the relay is stopping and the socket with it
            }
        });
    }

    /** The cluster answered: place the call and hand it what was held, unless the socket is gone. */
    private void claimed(CallClaim claim) {
        claiming = false;
        if (closing() || !ctx.channel().isActive()) {
            claim.release();
            held.releaseAll();
            return;
        }
        ctx.channel().config().setAutoRead(true);
        place(claim);
        replayHeld();
    }

    /** Hands what was held while claiming (or taking a call over) to the protocol, in order. */
    private void replayHeld() {
        WebSocketFrame frame;
        while (!claiming && (frame = held.poll()) != null) {
            if (closing()) {
                frame.release();
            } else {
                onDataFrame(ctx, frame);
            }
        }
    }

    private void place(CallClaim claim) {
        CallFactory.Result result = setup.calls().create(claim, ctx.channel().eventLoop(), this);
        if (result.call() == null) {
            Call live = result.refusal() == CallFactory.Refusal.DUPLICATE_CALL_ID
                    && setup.config().duplicateCallId() == DuplicateCallId.RESUME
                    ? setup.calls().registry().get(claim.callId()) : null;
            if (live != null) {
                takeOver(live);
                return;
            }
            switch (result.refusal()) {
                case DUPLICATE_CALL_ID -> {
                    TelephonyCounters.reject("duplicate_call_id");
                    close(CloseCodes.POLICY, claim.owner() == null ? "callId already live"
                            : "callId already live on " + claim.owner());
                }
                case UNKNOWN_ROUTE -> close(CloseCodes.POLICY, "unknown route");
                default -> close(CloseCodes.INTERNAL_ERROR, "relay overloaded");
            }
            return;
        }
        call = result.call();
        log.info("call registered callId={} route={} protocol={}{}", call.callId(), call.context().route(), name(),
                claim.localOnly() ? " (cluster unavailable: local only until it is back)" : "");
        onPlaced(call);
    }

    /** Takes {@code live} over from its socket; this socket holds what it receives until then. */
    private void takeOver(Call live) {
        claiming = true;
        ctx.channel().config().setAutoRead(false);
        live.takeOver(ctx.channel().eventLoop(), this, taken -> tookOver(live, taken));
    }

    /** On this loop: the call is this socket's ({@code taken}), or it ended before it could be. */
    private void tookOver(Call live, boolean taken) {
        claiming = false;
        if (!taken) {
            TelephonyCounters.reject("duplicate_call_id");
            close(CloseCodes.POLICY, "callId ended during the takeover");
            return;
        }
        if (closing() || !ctx.channel().isActive()) {
            live.release("socket closed"); // the call is this socket's now, and so is its end
            held.releaseAll();
            return;
        }
        ctx.channel().config().setAutoRead(true);
        call = live;
        log.info("call resumed on a new socket callId={} route={} protocol={}", call.callId(),
                call.context().route(), name());
        onPlaced(call);
        replayHeld();
    }

    /**
     * A new socket took this socket's call over: the call is not this socket's to end any more,
     * and the caller on this socket is told so with 1008.
     */
    @Override
    public final void replaced() {
        log.info("call taken over by a new socket callId={} protocol={}", callIdForLog(), name());
        call = null;
        close(CloseCodes.POLICY, "call taken over by a new socket");
    }

    /** The call is placed and {@link #call} set; the protocol acknowledges it, if it does. */
    void onPlaced(Call placed) {}

    /** True while the cluster is being asked about this socket's callId. */
    final boolean claiming() {
        return claiming;
    }

    /** Keeps the frame being handled to hand it to the call once placed (a raw stream's first frame is media). */
    final void holdCurrentFrame() {
        held.add(current.retain());
    }

    /** A malformed or unexpected message: counted, and past the threshold the socket closes 1002. */
    final void malformed(String reason) {
        TelephonyCounters.reject(reason);
        if (log.isDebugEnabled()) {
            log.debug("malformed telephony message reason={} callId={}", reason, callIdForLog());
        }
        if (malformed == null) {
            malformed = new MalformedWindow(setup.config().malformedWindowMs());
        }
        if (malformed.add(System.nanoTime()) > setup.config().malformedThreshold()) {
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
