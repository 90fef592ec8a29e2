package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.call.Call;
import dev.relay.core.call.CallStats;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Audio, greetings and interrupts back to the caller, and what happens when the caller stops reading. */
@Timeout(60)
class TelephonyOutboundTest extends RelayTestBase {
    private static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void longAudioIsSplitIntoWavMessagesWithinTheSizeLimit() throws Exception {
        start("relay.telephony.max-message-bytes = 64KiB");
        byte[] audio = noise(40_000);
        try (WsClient ws = register("out-1")) {
            relay.calls().get("out-1").playAudio(audio);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            int messages = 0;
            while (joined.size() < audio.length) {
                String text = ws.nextText(5000);
                assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
                JsonNode m = JSON.readTree(text);
                assertThat(m.path("event").asText()).isEqualTo("media");
                assertThat(m.path("callId").asText()).isEqualTo("out-1");
                assertThat(m.path("timestamp").isIntegralNumber()).isTrue();
                assertThat(m.path("payload").path("type").asText()).isEqualTo("Buffer");
                byte[] wav = bytes(m.path("payload").path("data"));
                WavHeader h = WavReader.read(wav);
                assertThat(h.format()).isEqualTo(WavFormat.MULAW_8K_MONO);
                joined.write(wav, h.dataOffset(), h.dataLength());
                messages++;
            }
            assertThat(messages).isGreaterThan(2);
            assertThat(joined.toByteArray()).isEqualTo(audio);
            CallStats stats = relay.calls().get("out-1").stats();
            assertThat(stats.outboundMessages()).isEqualTo(messages);
            assertThat(stats.outboundDroppedMessages()).isZero();
        }
    }

    @Test
    void greetingAndInterruptHaveTheAlohaaShape() throws Exception {
        start("");
        byte[] audio = noise(800);
        try (WsClient ws = register("out-2")) {
            Call call = relay.calls().get("out-2");
            call.playGreeting(audio);
            JsonNode greeting = JSON.readTree(ws.nextText(5000));
            assertThat(greeting.path("event").asText()).isEqualTo("greeting");
            byte[] wav = bytes(greeting.path("payload").path("data"));
            WavHeader h = WavReader.read(wav);
            assertThat(Arrays.copyOfRange(wav, h.dataOffset(), h.dataOffset() + h.dataLength())).isEqualTo(audio);
            call.interrupt();
            assertThat(ws.nextText(5000)).isEqualTo("{\"event\":\"interrupt\",\"callId\":\"out-2\"}");
        }
    }

    @Test
    void callerThatNeverReadsLosesOutboundAudioNotTheCall() throws Exception {
        start("");
        try (WsClient ws = register("slow-reader")) {
            ws.pauseReading();
            Call call = relay.calls().get("slow-reader");
            byte[] chunk = noise(250_000);
            for (int i = 0; i < 60; i++) {
                call.playAudio(chunk);
            }
            Await.until("an outbound message dropped", () -> call.stats().outboundDroppedMessages() > 0);
            // Inbound media still flows while the outbound side is backed up.
            for (byte[] p : Speech.packets().subList(0, 50)) {
                ws.sendBinary(p);
            }
            MemorySinkFactory.MemorySink sink = memory.await("slow-reader", 1000);
            Await.until("50 frames at the sink", () -> sink.samples().length == 50 * 320);
            assertThat(ws.isOpen()).isTrue();
            assertThat(relay.calls().isLive("slow-reader")).isTrue();
            assertThat(TelephonyCounters.rejected("outbound_dropped")).isPositive();
        }
    }

    private static byte[] noise(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(n).nextBytes(b);
        return b;
    }

    private static byte[] bytes(JsonNode array) {
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) array.get(i).asInt();
        }
        return out;
    }
}
