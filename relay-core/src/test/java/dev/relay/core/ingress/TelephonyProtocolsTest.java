package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.codec.testing.TestData;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Media Streams envelope and raw PCM16 wire formats (SPEC §4.2, §4.3), detected from the first frame. */
@Timeout(60)
class TelephonyProtocolsTest extends RelayTestBase {
    private static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void envelopeMulawStreamReachesSinksAndInterruptBecomesClear() throws Exception {
        start("");
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
            ws.sendText(
                    "{\"event\":\"start\",\"sequenceNumber\":\"1\",\"streamSid\":\"MZ1\",\"start\":{\"streamSid\":"
                            + "\"MZ1\","
                        + "\"callSid\":\"CA-env\",\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000,"
                        + "\"channels\":1}}}");
            for (int off = 0, chunk = 1; off < ulaw.length; off += 160, chunk++) {
                byte[] part = Arrays.copyOfRange(ulaw, off, Math.min(ulaw.length, off + 160));
                ws.sendText("{\"event\":\"media\",\"streamSid\":\"MZ1\",\"media\":{\"track\":\"inbound\",\"chunk\":\""
                        + chunk + "\",\"timestamp\":\"" + (chunk * 20) + "\",\"payload\":\""
                        + Base64.getEncoder().encodeToString(part) + "\"}}");
            }
            MemorySink sink = memory.await("CA-env", 5000);
            Await.until("all the audio at the sink", () -> sink.samples().length == ulaw.length * 2);
            relay.calls().get("CA-env").interrupt();
            JsonNode clear = JSON.readTree(ws.nextText(5000));
            assertThat(clear.path("event").asText()).isEqualTo("clear");
            assertThat(clear.path("streamSid").asText()).isEqualTo("MZ1");
            ws.sendText("{\"event\":\"stop\",\"streamSid\":\"MZ1\"}");
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
            sink.awaitClose(5000);
            short[] padded = Arrays.copyOf(sink.samples(), 426 * 320);
            assertThat(Speech.snrAgainstReference(padded)).isGreaterThanOrEqualTo(36.0);
        }
    }

    @Test
    void envelopeDtmfBecomesADtmfEvent() throws Exception {
        start("");
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ3\",\"callSid\":\"CA-dtmf\","
                    + "\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000}}}");
            ws.sendText(
                    "{\"event\":\"dtmf\",\"streamSid\":\"MZ3\",\"dtmf\":{\"track\":\"inbound_track\",\"digit\":"
                            + "\"7\"}}");
            Await.until("a dtmf event", () -> events.stream().anyMatch(e -> e.type().equals("dtmf")));
        }
        CallEvent dtmf = events.stream().filter(e -> e.type().equals("dtmf")).findFirst().orElseThrow();
        assertThat(dtmf.callId()).isEqualTo("CA-dtmf");
        assertThat(dtmf.data()).containsEntry("digit", "7");
    }

    @Test
    void envelopeWithUnsupportedFormatCloses1008() throws Exception {
        start("");
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText(
                    "{\"event\":\"start\",\"start\":{\"streamSid\":\"MZ2\",\"mediaFormat\":{\"encoding\":"
                            + "\"audio/opus\",\"sampleRate\":48000}}}");
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1008);
        }
    }

    @Test
    void rawPcm16At16kPassesThroughUnchanged() throws Exception {
        start("");
        short[] ref = TestData.s16le(Speech.REF_16K);
        byte[] le = new byte[ref.length * 2];
        ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(ref);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=raw-1"))) {
            // Frames of odd length: a sample split across frames must be rejoined.
            for (int off = 0; off < le.length; off += 641) {
                ws.sendBinary(Arrays.copyOfRange(le, off, Math.min(le.length, off + 641)));
            }
            MemorySink sink = memory.await("raw-1", 5000);
            Await.until("all the audio at the sink", () -> sink.samples().length == ref.length);
            assertThat(sink.samples()).isEqualTo(ref);
            assertThat(relay.calls().get("raw-1").context().route()).isEqualTo("default");
        }
    }

    @Test
    void rawPcm16At8kIsUpsampledLikeTheRtpPath() throws Exception {
        start("relay.telephony.raw-sample-rate = 8000");
        short[] in = TestData.s16le("speech_8k_s16le.raw");
        byte[] le = new byte[in.length * 2];
        ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put(in);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=raw-8k"))) {
            // 20 ms of 8 kHz PCM16 is 320 bytes; odd lengths split samples across frames.
            for (int off = 0; off < le.length; off += 321) {
                ws.sendBinary(Arrays.copyOfRange(le, off, Math.min(le.length, off + 321)));
            }
            MemorySink sink = memory.await("raw-8k", 5000);
            // Twice the samples at 16 kHz, give or take the last partial frame the pipeline holds.
            Await.until("the audio upsampled at the sink", () -> sink.samples().length >= 2 * in.length - 320);
            assertThat(sink.samples().length).isLessThanOrEqualTo(2 * in.length);
            // The μ-law path's reference, from the same speech: only μ-law's quantisation differs.
            assertThat(Speech.snrAgainstReference(sink.samples())).isGreaterThanOrEqualTo(30.0);
            assertThat(sink.timelineError()).isNull();
        }
    }
}
