package dev.relay.core.telephony;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The Alohaa Voice Streaming protocol (SPEC §4.1): {@code connected} registers the call and is
 * acknowledged; {@code media} carries one RTP packet as Buffer JSON, base64, or a binary frame.
 */
final class AlohaaSession extends ProtocolSession {
    private byte[] callIdUtf8;

    AlohaaSession(CallSocketHandler socket) {
        super(socket);
    }

    @Override
    String name() {
        return "alohaa";
    }

    @Override
    void onText(ByteBuf content, long nowNanos) {
        IoScratch scratch = IoScratch.get();
        MediaEventScanner scanner = scratch.scanner;
        MediaEventRejection rejection = scanner.scan(content, scratch.payload, 0);
        if (rejection != MediaEventRejection.NONE) {
            socket.malformed(rejection.label());
            return;
        }
        switch (scanner.event()) {
            case MEDIA -> onMedia(scanner, scratch.payload, nowNanos);
            case CONNECTED -> onConnected(scanner, content);
            case STOP -> socket.close(CloseCodes.NORMAL, "call ended");
            default -> TelephonyCounters.reject("unknown_event");
        }
    }

    @Override
    void onBinary(ByteBuf content, long nowNanos) {
        if (call == null) {
            socket.malformed("media_before_registration");
            return;
        }
        byte[] payload = IoScratch.get().payload;
        int length = copyToScratch(content, payload);
        if (length > 0) {
            call.ingress().rtp(payload, 0, length, nowNanos);
        } else if (length == 0) {
            socket.malformed("empty_payload");
        }
    }

    private void onMedia(MediaEventScanner scanner, byte[] payload, long nowNanos) {
        if (call == null) {
            socket.malformed("media_before_registration");
        } else if (scanner.hasCallId() && !scanner.callIdEquals(callIdUtf8)) {
            socket.malformed("call_id_mismatch");
        } else if (scanner.payloadLength() == 0) {
            socket.malformed("empty_payload");
        } else {
            call.ingress().rtp(payload, 0, scanner.payloadLength(), nowNanos);
        }
    }

    private void onConnected(MediaEventScanner scanner, ByteBuf content) {
        if (call != null) {
            TelephonyCounters.reject("second_registration");
            socket.close(CloseCodes.POLICY, "second registration on one socket");
            return;
        }
        if (!scanner.hasCallId() || scanner.callIdLength() == 0) {
            TelephonyCounters.reject("registration_without_call_id");
            socket.close(CloseCodes.POLICY, "connected without callId");
            return;
        }
        String callId = scanner.callIdString();
        JsonNode tree = parseControl(content);
        String mobileNo = tree == null ? "" : tree.path("mobileNo").asText("");
        call = socket.register(callId, mobileNo);
        if (call != null) {
            callIdUtf8 = callId.getBytes(StandardCharsets.UTF_8);
            ByteBuf ack = socket.ctx().alloc().buffer(64 + callIdUtf8.length * 6);
            AlohaaOutbound.writeConnectedAck(ack, callIdUtf8);
            socket.ctx().writeAndFlush(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(ack));
        }
    }
}
