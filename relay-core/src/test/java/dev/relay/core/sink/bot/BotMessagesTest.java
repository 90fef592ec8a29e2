package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.Json;
import dev.relay.core.scanner.MediaEventKind;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import dev.relay.core.sink.CallContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The relay → bot messages: Twilio's shapes, and understood by the relay's own envelope scanner. */
class BotMessagesTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final BotMessages envelope = new BotMessages("MZ\"quoted\"", "call/1");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 160, 641})
    void mediaIsTheTwilioShapeAndTheRelaysOwnScannerReadsIt(int length) throws Exception {
        byte[] audio = new byte[length];
        for (int i = 0; i < length; i++) {
            audio[i] = (byte) (i * 37);
        }
        ByteBuf out = Unpooled.buffer(envelope.mediaLength(length));
        try {
            envelope.media(out, 12, 11, 1_234_567, audio, 0, length);
            assertThat(out.readableBytes()).isLessThanOrEqualTo(envelope.mediaLength(length));
            JsonNode m = JSON.readTree(out.toString(StandardCharsets.UTF_8));
            assertThat(m.path("event").asText()).isEqualTo("media");
            assertThat(m.path("streamSid").asText()).isEqualTo("MZ\"quoted\"");
            assertThat(m.path("sequenceNumber").asText()).isEqualTo("12");
            assertThat(m.path("media").path("track").asText()).isEqualTo("inbound");
            assertThat(m.path("media").path("chunk").asText()).isEqualTo("11");
            assertThat(m.path("media").path("timestamp").asText()).isEqualTo("1234567");
            assertThat(Base64.getDecoder().decode(m.path("media").path("payload").asText())).isEqualTo(audio);

            MediaEventScanner scanner = new MediaEventScanner();
            byte[] payload = new byte[1024];
            MediaEventRejection r = scanner.scan(out, payload, 0);
            if (length == 0) {
                return;
            }
            assertThat(r).isEqualTo(MediaEventRejection.NONE);
            assertThat(scanner.event()).isEqualTo(MediaEventKind.MEDIA);
            assertThat(scanner.timestamp()).isEqualTo(1_234_567);
            assertThat(Arrays.copyOf(payload, scanner.payloadLength())).isEqualTo(audio);
        } finally {
            out.release();
        }
    }

    @Test
    void startCarriesIdentityAndFormat() throws Exception {
        CallContext call = new CallContext("call/1", "bots", "4155551234", 0, new EventBus());
        JsonNode m = JSON.readTree(envelope.start(1, call, BotConfig.Encoding.L16, 2));
        assertThat(m.path("event").asText()).isEqualTo("start");
        assertThat(m.path("sequenceNumber").asText()).isEqualTo("1");
        assertThat(m.path("streamSid").asText()).isEqualTo("MZ\"quoted\"");
        JsonNode start = m.path("start");
        assertThat(start.path("callSid").asText()).isEqualTo("call/1");
        assertThat(start.path("customParameters").path("route").asText()).isEqualTo("bots");
        assertThat(start.path("customParameters").path("reconnects").asText()).isEqualTo("2");
        assertThat(start.path("mediaFormat").toString())
                .isEqualTo("{\"encoding\":\"audio/l16\",\"sampleRate\":16000,\"channels\":1}");
    }

    @Test
    void markAndStop() throws Exception {
        JsonNode mark = JSON.readTree(envelope.mark(5, "say \"hi\""));
        assertThat(mark.path("mark").path("name").asText()).isEqualTo("say \"hi\"");
        assertThat(mark.path("sequenceNumber").asText()).isEqualTo("5");
        JsonNode stop = JSON.readTree(envelope.stop(6, "socket closed"));
        assertThat(stop.path("event").asText()).isEqualTo("stop");
        assertThat(stop.path("stop").path("callSid").asText()).isEqualTo("call/1");
        assertThat(JSON.readTree(BotMessages.connected()).toString())
                .isEqualTo("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    }

    /** The bytes bots have always received (captured from the bot's own envelope writer before the fold). */
    @Test
    void writesTheBytesBotsHaveAlwaysReceived() {
        CallContext call = new CallContext("call/1", "bots", "4155551234", 0, new EventBus());
        assertThat(utf8(envelope.start(1, call, BotConfig.Encoding.L16, 2))).isEqualTo("{\"event\":\"start\","
                + "\"sequenceNumber\":\"1\",\"start\":{\"streamSid\":\"MZ\\\"quoted\\\"\",\"callSid\":\"call/1\","
                + "\"callId\":\"call/1\",\"tracks\":[\"inbound\"],\"customParameters\":{\"callId\":\"call/1\","
                + "\"mobileNo\":\"4155551234\",\"route\":\"bots\",\"reconnects\":\"2\"},\"mediaFormat\":"
                + "{\"encoding\":\"audio/l16\",\"sampleRate\":16000,\"channels\":1}},"
                + "\"streamSid\":\"MZ\\\"quoted\\\"\"}");
        byte[] audio = {0, 37, 74, 111, (byte) 148};
        ByteBuf out = Unpooled.buffer();
        try {
            envelope.media(out, 12, 11, 1_234_567, audio, 0, audio.length);
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"event\":\"media\","
                    + "\"streamSid\":\"MZ\\\"quoted\\\"\",\"sequenceNumber\":\"12\",\"media\":{\"track\":\"inbound\","
                    + "\"chunk\":\"11\",\"timestamp\":\"1234567\",\"payload\":\"ACVKb5Q=\"}}");
        } finally {
            out.release();
        }
        assertThat(utf8(envelope.mark(5, "say \"hi\""))).isEqualTo("{\"event\":\"mark\",\"sequenceNumber\":\"5\","
                + "\"streamSid\":\"MZ\\\"quoted\\\"\",\"mark\":{\"name\":\"say \\\"hi\\\"\"}}");
        assertThat(utf8(envelope.stop(6, "socket closed"))).isEqualTo("{\"event\":\"stop\",\"sequenceNumber\":\"6\","
                + "\"streamSid\":\"MZ\\\"quoted\\\"\",\"stop\":{\"callSid\":\"call/1\",\"reason\":\"socket closed\"}}");
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
