package dev.relay.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.call.Call;
import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventKind;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;

/**
 * The wire protocol of one telephony socket, chosen from its first frame (SPEC §4): Alohaa JSON
 * ({@link AlohaaSession}), the Media Streams envelope ({@link EnvelopeSession}) or raw PCM16
 * ({@link RawSession}). IO loop only.
 */
abstract class ProtocolSession {
    /** For control events only (registration, start); media never goes through a tree. */
    static final ObjectMapper JSON = new ObjectMapper();

    final CallSocketHandler socket;
    Call call;

    ProtocolSession(CallSocketHandler socket) {
        this.socket = socket;
    }

    static ProtocolSession forFirstText(CallSocketHandler socket, ByteBuf content) {
        IoScratch scratch = IoScratch.get();
        MediaEventScanner scanner = scratch.scanner;
        if (scanner.scan(content, scratch.payload, 0) == MediaEventRejection.NONE) {
            MediaEventKind kind = scanner.event();
            boolean envelope = kind == MediaEventKind.START
                    || kind == MediaEventKind.CONNECTED && !scanner.hasCallId();
            if (envelope) {
                return new EnvelopeSession(socket);
            }
        }
        return new AlohaaSession(socket);
    }

    static ProtocolSession forFirstBinary(CallSocketHandler socket, ByteBuf content) {
        return RtpSniffer.looksLikeRtp(content) ? new AlohaaSession(socket) : new RawSession(socket);
    }

    abstract String name();

    abstract void onText(ByteBuf content, long nowNanos);

    abstract void onBinary(ByteBuf content, long nowNanos);

    final boolean registered() {
        return call != null;
    }

    final void release(String reason) {
        if (call != null) {
            call.release(reason);
        }
    }

    final String callIdForLog() {
        return call == null ? "-" : call.callId();
    }

    /** Whether this wire format carries audio back to the caller. */
    boolean canPlayAudio() {
        return true;
    }

    /** Plays μ-law 8 kHz audio to the caller; protocols without a way back count it as dropped. */
    void sendAudio(byte[] ulaw, int offset, int length) {
        unsupported("outbound_unsupported");
    }

    void sendGreeting(byte[] ulaw, int offset, int length) {
        unsupported("outbound_unsupported");
    }

    void sendInterrupt() {
        unsupported("outbound_unsupported");
    }

    private void unsupported(String reason) {
        TelephonyCounters.reject(reason);
        if (call != null) {
            call.stats().countOutboundDrop();
        }
    }

    /**
     * Writes one outbound message unless the caller has stopped reading (the socket is over its
     * write-buffer high-water mark): then the message is dropped and counted, and the connection
     * and the inbound media carry on. Takes ownership of {@code message}. IO loop only.
     */
    final boolean writeOrDrop(ByteBuf message, int audioBytes) {
        io.netty.channel.Channel channel = socket.ctx().channel();
        if (!channel.isWritable()) {
            message.release();
            TelephonyCounters.reject("outbound_dropped");
            call.stats().countOutboundDrop();
            return false;
        }
        channel.writeAndFlush(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(message),
                channel.voidPromise());
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
            socket.malformed(rejection.label());
            return null;
        }
        return scratch.scanner;
    }

    /** Parses a control message with a tree parser; null (and counted) when it is not JSON. */
    final JsonNode parseControl(ByteBuf content) {
        try {
            return JSON.readTree((java.io.InputStream) new ByteBufInputStream(content.duplicate()));
        } catch (IOException e) {
            socket.malformed("invalid_json");
            return null;
        }
    }

    /** Copies a binary frame's bytes into the loop's scratch; -1 (counted) when too large. */
    final int copyToScratch(ByteBuf content, byte[] scratch) {
        int length = content.readableBytes();
        if (length > scratch.length) {
            socket.malformed("payload_too_large");
            return -1;
        }
        content.getBytes(content.readerIndex(), scratch, 0, length);
        return length;
    }
}
