package dev.relay.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.call.Call;
import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * The Alohaa Voice Streaming protocol (SPEC §4.1): {@code connected} registers the call and is
 * acknowledged once the call is placed; {@code media} carries one RTP packet as Buffer JSON, base64, or a binary frame.
 */
final class AlohaaProtocol extends CallProtocol {
    private byte[] callIdUtf8;

    AlohaaProtocol(SocketSetup setup, long registrationDeadlineNanos) {
        super(setup, registrationDeadlineNanos);
    }

    @Override
    String name() {
        return "alohaa";
    }

    @Override
    void onText(ByteBuf content, long nowNanos) {
        MediaEventScanner scanner = scan(content);
        if (scanner == null) {
            return;
        }
        switch (scanner.event()) {
            case MEDIA -> onMedia(scanner, IoScratch.get().payload, nowNanos);
            case CONNECTED -> onConnected(scanner, content);
            case STOP -> close(CloseCodes.NORMAL, "call ended");
            default -> TelephonyCounters.reject("unknown_event");
        }
    }

    @Override
    void onBinary(ByteBuf content, long nowNanos) {
        if (call == null) {
            malformed("media_before_registration");
            return;
        }
        byte[] payload = IoScratch.get().payload;
        int length = copyToScratch(content, payload);
        if (length > 0) {
            call.ingress().rtp(payload, 0, length, nowNanos);
        } else if (length == 0) {
            malformed("empty_payload");
        }
    }

    @Override
    void writeAudio(byte[] ulaw, int offset, int length) {
        if (call != null) {
            int limit = AlohaaOutbound.maxAudioBytesPerMessage(setup.config().maxMessageBytes(), callIdUtf8.length);
            sendWavChunks(ulaw, offset, length, limit, false);
        }
    }

    @Override
    void writeGreeting(byte[] ulaw, int offset, int length) {
        if (call != null) {
            sendWavChunks(ulaw, offset, length, AlohaaOutbound.maxGreetingAudioBytes(setup.config().maxMessageBytes()),
                    true);
        }
    }

    @Override
    void writeInterrupt() {
        if (call != null) {
            ByteBuf out = ctx.alloc().heapBuffer(48 + callIdUtf8.length * 6);
            AlohaaOutbound.writeInterrupt(out, callIdUtf8);
            writeOrDrop(out, 0);
        }
    }

    /**
     * Alohaa plays μ-law WAV: each message carries its own WAV header, and audio longer than one
     * message (SPEC: ≤ max-message-bytes, worst case 4 JSON bytes per audio byte) is split.
     */
    private void sendWavChunks(byte[] ulaw, int offset, int length, int maxWavBytes, boolean greeting) {
        int header = WavWriter.headerLength(WavFormat.MULAW_8K_MONO);
        int perMessage = maxWavBytes - header;
        byte[] wav = new byte[header + Math.min(perMessage, length)];
        for (int done = 0; done < length; done += perMessage) {
            int n = Math.min(perMessage, length - done);
            WavWriter.writeHeader(wav, 0, WavFormat.MULAW_8K_MONO, n);
            System.arraycopy(ulaw, offset + done, wav, header, n);
            ByteBuf out = ctx.alloc().heapBuffer(128 + callIdUtf8.length * 6 + (header + n) * 4);
            if (greeting) {
                AlohaaOutbound.writeGreeting(out, wav, 0, header + n);
            } else {
                AlohaaOutbound.writeMedia(out, callIdUtf8, wav, 0, header + n, System.currentTimeMillis());
            }
            writeOrDrop(out, header + n);
        }
    }

    private void onMedia(MediaEventScanner scanner, byte[] payload, long nowNanos) {
        if (call == null) {
            malformed("media_before_registration");
        } else if (scanner.hasCallId() && !scanner.callIdEquals(callIdUtf8)) {
            malformed("call_id_mismatch");
        } else if (scanner.payloadLength() == 0) {
            malformed("empty_payload");
        } else {
            call.ingress().rtp(payload, 0, scanner.payloadLength(), nowNanos);
        }
    }

    private void onConnected(MediaEventScanner scanner, ByteBuf content) {
        if (call != null) {
            TelephonyCounters.reject("second_registration");
            close(CloseCodes.POLICY, "second registration on one socket");
            return;
        }
        if (!scanner.hasCallId() || scanner.callIdLength() == 0) {
            TelephonyCounters.reject("registration_without_call_id");
            close(CloseCodes.POLICY, "connected without callId");
            return;
        }
        String callId = scanner.callIdString();
        JsonNode tree = parseControl(content);
        String mobileNo = tree == null ? "" : tree.path("mobileNo").asText("");
        register(callId, mobileNo);
    }

    /** Acknowledges the registration once the call is placed (after the cluster's answer). */
    @Override
    void onPlaced(Call placed) {
        callIdUtf8 = placed.callId().getBytes(StandardCharsets.UTF_8);
        ByteBuf ack = ctx.alloc().heapBuffer(64 + callIdUtf8.length * 6);
        AlohaaOutbound.writeConnectedAck(ack, callIdUtf8);
        ctx.writeAndFlush(new TextWebSocketFrame(ack));
    }
}
