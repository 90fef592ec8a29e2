package dev.relay.core.ingress;

import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventKind;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Holds a telephony socket from the upgrade to its first data frame, then picks the wire format
 * (SPEC §4) the way Netty's port unification does: it installs that protocol's handler after
 * itself, removes itself and hands the frame on. A first text frame that is a Media Streams
 * {@code start}, or a {@code connected} without a {@code callId}, is the envelope (§4.2); any other
 * text is Alohaa JSON (§4.1); a first binary frame that looks like RTP is Alohaa, otherwise raw
 * PCM16 (§4.3).
 *
 * <p>Until then it is the socket's owner: it refuses a failed auth with 1008 at once and shares
 * the rest of the socket's life (registration deadline, idle, close) through its base class. IO
 * loop only.
 */
final class ProtocolDetector extends TelephonySocketHandler {
    /** The pipeline name of the protocol handler this detector installs. */
    static final String PROTOCOL = "protocol";

    private final String authFailure;

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
        CallProtocol protocol = frame instanceof TextWebSocketFrame
                ? forFirstText(frame.content())
                : forFirstBinary(frame.content());
        protocol.liveness = liveness;
        ctx.pipeline().addAfter(ctx.name(), PROTOCOL, protocol);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(frame);
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

    private CallProtocol forFirstBinary(ByteBuf content) {
        return RtpSniffer.looksLikeRtp(content)
                ? new AlohaaProtocol(setup, registrationDeadlineNanos())
                : new RawProtocol(setup, registrationDeadlineNanos());
    }
}
