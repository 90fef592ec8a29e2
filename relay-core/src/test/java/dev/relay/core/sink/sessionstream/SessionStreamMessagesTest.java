package dev.relay.core.sink.sessionstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The envelope's three messages are valid JSON with the fields a Media Streams server reads. */
class SessionStreamMessagesTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private final SessionStreamMessages envelope = new SessionStreamMessages("sess-\"1\"\\", "call/7", "audio/x-l16");

    private static JsonNode parse(ByteBuf b) throws Exception {
        try {
            return JSON.readTree(b.toString(StandardCharsets.UTF_8));
        } finally {
            b.release();
        }
    }

    @Test
    void startDeclaresPcm16At16kMono() throws Exception {
        JsonNode start = parse(envelope.start(ALLOC, 1));
        assertThat(start.path("event").asText()).isEqualTo("start");
        assertThat(start.path("sequenceNumber").asText()).isEqualTo("1");
        assertThat(start.path("streamSid").asText()).isEqualTo("sess-\"1\"\\");
        assertThat(start.path("start").path("callSid").asText()).isEqualTo("call/7");
        JsonNode format = start.path("start").path("mediaFormat");
        assertThat(format.path("encoding").asText()).isEqualTo("audio/x-l16");
        assertThat(format.path("sampleRate").asInt()).isEqualTo(16000);
        assertThat(format.path("channels").asInt()).isEqualTo(1);
    }

    @Test
    void stopNamesTheStream() throws Exception {
        JsonNode stop = parse(envelope.stop(ALLOC, 99));
        assertThat(stop.path("event").asText()).isEqualTo("stop");
        assertThat(stop.path("sequenceNumber").asText()).isEqualTo("99");
        assertThat(stop.path("streamSid").asText()).isEqualTo("sess-\"1\"\\");
    }

    /** Lengths around the base64 block size, including a whole 20 ms frame and an odd tail. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 639, 640, 641, 3200})
    void mediaCarriesTheAudioAsStandardBase64(int length) throws Exception {
        byte[] pcm = new byte[length];
        new Random(length).nextBytes(pcm);
        ByteBuf audio = ALLOC.directBuffer(24 + length).writeZero(24).writeBytes(pcm).skipBytes(24);
        int readerIndex = audio.readerIndex();
        JsonNode media = parse(envelope.media(ALLOC, 12345678901L, 42, 860, audio));
        assertThat(audio.readerIndex()).as("audio not consumed").isEqualTo(readerIndex);
        audio.release();
        assertThat(media.path("event").asText()).isEqualTo("media");
        assertThat(media.path("sequenceNumber").asText()).isEqualTo("12345678901");
        assertThat(media.path("streamSid").asText()).isEqualTo("sess-\"1\"\\");
        JsonNode m = media.path("media");
        assertThat(m.path("track").asText()).isEqualTo("inbound");
        assertThat(m.path("chunk").asText()).isEqualTo("42");
        assertThat(m.path("timestamp").asText()).isEqualTo("860");
        String payload = m.path("payload").asText();
        assertThat(payload).isEqualTo(Base64.getEncoder().encodeToString(pcm));
    }

    @Test
    void oneEnvelopeEncodesChunksOfChangingSizes() throws Exception {
        Random random = new Random(7);
        for (int length : new int[] {3200, 5, 641, 640, 9600, 2}) {
            byte[] pcm = new byte[length];
            random.nextBytes(pcm);
            ByteBuf audio = Unpooled.wrappedBuffer(pcm);
            JsonNode media = parse(envelope.media(ALLOC, 1, 1, 0, audio));
            audio.release();
            assertThat(media.path("media").path("payload").asText()).isEqualTo(Base64.getEncoder().encodeToString(pcm));
        }
    }

    /** The bytes session servers have always received (captured from the envelope writer before the fold). */
    @Test
    void writesTheBytesSessionServersHaveAlwaysReceived() {
        String sid = "\"streamSid\":\"sess-\\\"1\\\"\\\\\"";
        assertThat(utf8(envelope.start(ALLOC, 1))).isEqualTo("{\"event\":\"start\",\"sequenceNumber\":\"1\","
                + "\"start\":{" + sid + ",\"callSid\":\"call/7\",\"tracks\":[\"inbound\"],\"mediaFormat\":"
                + "{\"encoding\":\"audio/x-l16\",\"sampleRate\":16000,\"channels\":1}}," + sid + "}");
        ByteBuf audio = Unpooled.wrappedBuffer(new byte[] {0, 37, 74, 111, (byte) 148});
        assertThat(utf8(envelope.media(ALLOC, 12345678901L, 42, 860, audio))).isEqualTo("{\"event\":\"media\","
                + "\"sequenceNumber\":\"12345678901\",\"media\":{\"track\":\"inbound\",\"chunk\":\"42\","
                + "\"timestamp\":\"860\",\"payload\":\"ACVKb5Q=\"}," + sid + "}");
        audio.release();
        assertThat(utf8(envelope.stop(ALLOC, 99)))
                .isEqualTo("{\"event\":\"stop\",\"sequenceNumber\":\"99\",\"stop\":{\"callSid\":\"call/7\"},"
                        + sid + "}");
    }

    private static String utf8(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.UTF_8);
        } finally {
            b.release();
        }
    }
}
