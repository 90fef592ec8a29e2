package dev.relay.core.ingress;

import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventKind;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds a telephony socket from the upgrade to its first data frame, then picks the wire format
 * (SPEC §4) the way Netty's port unification does: it installs that protocol's handler after
 * itself, removes itself and hands the frame on. A first text frame that is a Media Streams
 * {@code start}, or a {@code connected} without a {@code callId}, is the envelope (§4.2); any other
 * text is Alohaa JSON (§4.1). Binary frames are RTP for Alohaa or raw PCM16 (§4.3): a frame that
 * cannot be RTP makes the socket raw at once; frames that can are held, up to
 * {@link #RTP_FRAMES_TO_DECIDE}, and the socket is Alohaa only when they are one RTP stream
 * ({@link RtpSniffer}). What is held is bounded by that count times the message limit, and in
 * time by the registration deadline.
 *
 * <p>Until then it is the socket's owner: it refuses a failed auth with 1008 at once and shares
 * the rest of the socket's life (registration deadline, idle, close) through its base class. IO
 * loop only.
 */
final class ProtocolDetector extends TelephonySocketHandler {
    /** The pipeline name of the protocol handler this detector installs. */
    static final String PROTOCOL = "protocol";

    /** Binary frames that read as RTP are judged together, this many of them. */
    static final int RTP_FRAMES_TO_DECIDE = 3;

    private final String authFailure;
    /** The first binary frames while they may still be RTP; null when none are held. */
    private List<WebSocketFrame> held;

    /** @param authFailure why the upgrade request failed auth, or null when it passed */
    ProtocolDetector(SocketSetup setup, String authFailure) {
        super(setup);
        this.authFailure = authFailure;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        if (authFailure != null) {
            TelephonyCounters.reject("auth_failed");
            close(CloseCodes.POLICY, authFailure);
        }
    }

    @Override
    void onDataFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) {
            // RTP-like frames followed by text: Alohaa media sent before its `connected`.
            install(held == null ? forFirstText(frame.content()) : forHeldBinary(), frame);
        } else if (!RtpSniffer.looksLikeRtp(frame.content())) {
            install(new RawProtocol(setup, registrationDeadlineNanos()), frame);
        } else {
            // It may be RTP, or PCM whose first bytes happen to read as an RTP header: decide
            // from the first few frames together.
            if (held == null) {
                held = new ArrayList<>(RTP_FRAMES_TO_DECIDE);
            }
            held.add(frame);
            if (held.size() == RTP_FRAMES_TO_DECIDE) {
                install(forHeldBinary(), null);
            }
        }
    }

    /** Installs {@code protocol} after this handler, leaves, and hands it the held frames and {@code frame}. */
    private void install(CallProtocol protocol, WebSocketFrame frame) {
        protocol.liveness = liveness;
        ctx.pipeline().addAfter(ctx.name(), PROTOCOL, protocol);
        List<WebSocketFrame> frames = held;
        held = null;
        ctx.pipeline().remove(this);
        if (frames != null) {
            for (WebSocketFrame f : frames) {
                ctx.fireChannelRead(f);
            }
        }
        if (frame != null) {
            ctx.fireChannelRead(frame);
        }
    }

    /** Alohaa when the held frames are one RTP stream, raw PCM otherwise. */
    private CallProtocol forHeldBinary() {
        List<ByteBuf> contents = new ArrayList<>(held.size());
        for (WebSocketFrame f : held) {
            contents.add(f.content());
        }
        return RtpSniffer.isStream(contents)
                ? new AlohaaProtocol(setup, registrationDeadlineNanos())
                : new RawProtocol(setup, registrationDeadlineNanos());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        if (held != null) {
            held.forEach(WebSocketFrame::release);
            held = null;
        }
    }

    private CallProtocol forFirstText(ByteBuf content) {
        IoScratch scratch = IoScratch.get();
        MediaEventScanner scanner = scratch.scanner;
        if (scanner.scan(content, scratch.payload, 0) == MediaEventRejection.NONE) {
            MediaEventKind kind = scanner.event();
            if (kind == MediaEventKind.START || kind == MediaEventKind.CONNECTED && !scanner.hasCallId()) {
                return new EnvelopeProtocol(setup, registrationDeadlineNanos());
            }
        }
        return new AlohaaProtocol(setup, registrationDeadlineNanos());
    }
}
