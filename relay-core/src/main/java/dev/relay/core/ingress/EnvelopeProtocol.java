package dev.relay.core.ingress;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.g711.G711;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import dev.relay.core.scanner.IoScratch;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import java.util.Map;

/**
 * The Media Streams envelope (SPEC §4.2): {@code connected}, then {@code start} with the call's
 * identity and {@code mediaFormat}, then base64 {@code media}, {@code mark}s and {@code stop}.
 *
 * <p>The call id is {@code start.callSid}, else {@code start.customParameters.callId}, else the
 * stream sid. {@code audio/l16} is big-endian, as RFC 3551 defines L16.
 */
final class EnvelopeProtocol extends CallProtocol {
    private enum Encoding {
        ULAW,
        ALAW,
        L16
    }

    /** Where every message toward the peer has always put streamSid: right after the event. */
    static final Layout PLAYER = Layout.everywhere(SidAt.AFTER_EVENT);

    private Encoding encoding;
    private int sampleRateHz;
    private MediaStreamsWriter envelope;
    private int marks;

    EnvelopeProtocol(SocketSetup setup, long registrationDeadlineNanos) {
        super(setup, registrationDeadlineNanos);
    }

    @Override
    String name() {
        return "envelope";
    }

    @Override
    void onText(ByteBuf content, long nowNanos) {
        MediaEventScanner scanner = scan(content);
        if (scanner == null) {
            return;
        }
        switch (scanner.event()) {
            case MEDIA -> onMedia(scanner.payloadLength(), IoScratch.get().payload, nowNanos);
            case START -> onStart(content);
            case STOP -> close(CloseCodes.NORMAL, "stream stopped");
            case DTMF -> onDtmf(content);
            case CONNECTED, MARK -> { }
            default -> TelephonyCounters.reject("unknown_event");
        }
    }

    @Override
    void onBinary(ByteBuf content, long nowNanos) {
        malformed("binary_on_envelope_stream");
    }

    @Override
    void writeAudio(byte[] ulaw, int offset, int length) {
        if (call == null) {
            return;
        }
        int perMessage = envelope.maxPlayBytesPerMessage(setup.config().maxMessageBytes());
        for (int done = 0; done < length; done += perMessage) {
            int n = Math.min(perMessage, length - done);
            ByteBuf out = ctx.alloc().heapBuffer(envelope.playMediaLength(n));
            envelope.playMedia(out, ulaw, offset + done, n);
            writeOrDrop(out, n);
        }
        ByteBuf mark = ctx.alloc().heapBuffer();
        envelope.playMark(mark, "relay-" + (++marks));
        writeOrDrop(mark, 0);
    }

    @Override
    void writeGreeting(byte[] ulaw, int offset, int length) {
        writeAudio(ulaw, offset, length);
    }

    @Override
    void writeInterrupt() {
        if (call != null) {
            ByteBuf out = ctx.alloc().heapBuffer();
            envelope.clear(out);
            writeOrDrop(out, 0);
        }
    }

    private void onMedia(int length, byte[] payload, long nowNanos) {
        if (call == null) {
            malformed("media_before_registration");
        } else if (length == 0) {
            malformed("empty_payload");
        } else if (encoding == Encoding.L16) {
            call.ingress().pcm16(payload, 0, length & ~1, true, sampleRateHz, nowNanos);
        } else {
            call.ingress().g711(encoding == Encoding.ALAW ? G711.A_LAW : G711.MU_LAW, payload, 0, length, nowNanos);
        }
    }

    /** {@code {"event":"dtmf","dtmf":{"digit":"5"}}} → a {@code dtmf} call event, as RFC 4733 DTMF is. */
    private void onDtmf(ByteBuf content) {
        JsonNode tree = parseControl(content);
        String digit = tree == null ? "" : tree.path("dtmf").path("digit").asText("");
        if (call == null || digit.length() != 1) {
            malformed("bad_dtmf");
            return;
        }
        call.context().events().publish(CallEvent.of("dtmf", call.callId(),
                Map.of("digit", digit, "end", true)));
    }

    private void onStart(ByteBuf content) {
        if (call != null) {
            TelephonyCounters.reject("second_registration");
            close(CloseCodes.POLICY, "second start on one socket");
            return;
        }
        JsonNode tree = parseControl(content);
        if (tree == null) {
            return;
        }
        JsonNode start = tree.path("start");
        JsonNode format = start.path("mediaFormat");
        String enc = format.path("encoding").asText("audio/x-mulaw");
        sampleRateHz = format.path("sampleRate").asInt(8000);
        encoding = switch (enc) {
            case "audio/x-mulaw", "audio/pcmu" -> Encoding.ULAW;
            case "audio/x-alaw", "audio/pcma" -> Encoding.ALAW;
            case "audio/l16" -> Encoding.L16;
            default -> null;
        };
        boolean rateOk = encoding == Encoding.L16 ? sampleRateHz == 8000 || sampleRateHz == 16000
                : sampleRateHz == 8000;
        if (encoding == null || !rateOk) {
            TelephonyCounters.reject("unsupported_media_format");
            close(CloseCodes.POLICY, "unsupported mediaFormat " + enc + "/" + sampleRateHz);
            return;
        }
        String callId = firstText(start.path("callSid"), start.path("customParameters").path("callId"),
                start.path("streamSid"), tree.path("streamSid"));
        if (callId == null || callId.length() > 128 || callId.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            TelephonyCounters.reject("registration_without_call_id");
            close(CloseCodes.POLICY, "start without a usable callSid/streamSid");
            return;
        }
        String sid = firstText(start.path("streamSid"), tree.path("streamSid"));
        envelope = new MediaStreamsWriter(sid == null ? callId : sid, PLAYER);
        register(callId, start.path("customParameters").path("mobileNo").asText(""));
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode n : nodes) {
            if (n.isTextual() && !n.asText().isEmpty()) {
                return n.asText();
            }
        }
        return null;
    }
}
