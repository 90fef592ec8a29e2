package dev.relay.core.control;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.Decimator;
import dev.relay.codec.testing.TestData;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavFormatException;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.RelayServer;
import dev.relay.core.control.audio.AudioRoute;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bot audio pushed through the control API reaches the Alohaa peer as μ-law 8 kHz WAV equal to
 * relay-codec's transcoding of the input; bad bodies get the documented errors.
 */
@Timeout(60)
class ControlAudioTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final MemorySinkFactory memory = new MemorySinkFactory();
    private RelayServer relay;
    private ControlHttp http;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start(String overrides) throws Exception {
        relay = TestRelays.start(overrides, memory);
        http = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
    }

    private WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    @Test
    void pcm16WavAt16kArrivesAsTheRelayCodecTranscodingSplitWithinTheMessageLimit() throws Exception {
        start("relay.telephony.max-message-bytes = 64KiB");
        byte[] s16le = TestData.bytes("speech_16k_ref_s16le.raw");
        byte[] wav = WavWriter.toWav(WavFormat.pcm16(16000, 1), s16le, 0, s16le.length);
        byte[] expected = expectedUlaw(s16le(s16le), 16000);
        assertThat(expected).hasSize(68058);
        try (WsClient peer = register("tts-1")) {
            HttpResponse<String> r = http.post("/v1/calls/tts-1/audio", "audio/wav", wav);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(json(r).path("callId").asText()).isEqualTo("tts-1");
            assertThat(json(r).path("bytes").asInt()).isEqualTo(expected.length);
            assertThat(json(r).path("queuedMs").asLong()).isEqualTo(8507);
            List<String> kinds = new ArrayList<>();
            assertThat(collect(peer, expected.length, kinds)).isEqualTo(expected);
            assertThat(kinds).hasSizeGreaterThan(1).containsOnly("media");
        }
    }

    @Test
    void rawPcmCallCannotTakeAudio409() throws Exception {
        start("");
        try (WsClient raw = WsClient.connect(TestRelays.wsUrl(relay, "/media?callId=raw-409"))) {
            raw.sendBinary(new byte[640]);
            Await.until("call raw-409 live", () -> relay.calls().isLive("raw-409"));
            HttpResponse<String> r = http.post("/v1/calls/raw-409/audio", "audio/pcmu", new byte[160]);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
            assertThat(ControlHttp.errorCode(r)).isEqualTo("call_cannot_play");
        }
    }

    @Test
    void ulawWavIsPlayedByteForByte() throws Exception {
        start("");
        byte[] wav = TestData.bytes("speech_8k_ulaw.wav");
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        try (WsClient peer = register("tts-2")) {
            HttpResponse<String> r = http.post("/v1/calls/tts-2/audio", "audio/wav", wav);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(json(r).path("bytes").asInt()).isEqualTo(ulaw.length);
            assertThat(collect(peer, ulaw.length, new ArrayList<>())).isEqualTo(ulaw);
        }
    }

    /** Every accepted PCM form and rate, as WAV and as raw L16 in both byte orders. */
    @ParameterizedTest
    @CsvSource({
        "wav, 8000", "wav, 24000", "wav, 48000",
        "l16, 8000", "l16, 16000", "l16, 24000", "l16, 48000",
        "l16le, 16000", "l16le, 48000",
    })
    void everyPcmFormAndRateIsTranscodedLikeRelayCodec(String form, int rateHz) throws Exception {
        start("");
        short[] tone = tone(rateHz, 440, rateHz / 2 + 7);
        byte[] body;
        String type;
        switch (form) {
            case "wav" -> {
                byte[] le = bytes(tone, false);
                body = WavWriter.toWav(WavFormat.pcm16(rateHz, 1), le, 0, le.length);
                type = "audio/wav";
            }
            case "l16" -> {
                body = bytes(tone, true);
                type = "audio/L16; rate=" + rateHz;
            }
            default -> {
                body = bytes(tone, false);
                type = "audio/l16;rate=" + rateHz + ";endianness=little;channels=1";
            }
        }
        byte[] expected = expectedUlaw(tone, rateHz);
        assertThat(expected).hasSize((tone.length + rateHz / 8000 - 1) / (rateHz / 8000));
        try (WsClient peer = register("pcm")) {
            HttpResponse<String> r = http.post("/v1/calls/pcm/audio", type, body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            assertThat(collect(peer, expected.length, new ArrayList<>())).isEqualTo(expected);
        }
    }

    @Test
    void rawPcmuPassesThrough() throws Exception {
        start("");
        byte[] ulaw = Arrays.copyOf(TestData.bytes("speech_8k.ulaw"), 8000);
        try (WsClient peer = register("pcmu")) {
            HttpResponse<String> r = http.post("/v1/calls/pcmu/audio", "audio/PCMU", ulaw);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(json(r).path("queuedMs").asLong()).isEqualTo(1000);
            assertThat(collect(peer, ulaw.length, new ArrayList<>())).isEqualTo(ulaw);
        }
    }

    @Test
    void interruptTrueSendsTheInterruptBeforeTheNewAudio() throws Exception {
        start("");
        byte[] ulaw = Arrays.copyOf(TestData.bytes("speech_8k.ulaw"), 1600);
        try (WsClient peer = register("barge")) {
            HttpResponse<String> r = http.post("/v1/calls/barge/audio?interrupt=true", "audio/pcmu", ulaw);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(peer.nextText(5000)).isEqualTo("{\"event\":\"interrupt\",\"callId\":\"barge\"}");
            assertThat(collect(peer, ulaw.length, new ArrayList<>())).isEqualTo(ulaw);
        }
    }

    @Test
    void greetingIsSentAsAGreeting() throws Exception {
        start("");
        byte[] ulaw = Arrays.copyOf(TestData.bytes("speech_8k.ulaw"), 4000);
        try (WsClient peer = register("hello")) {
            HttpResponse<String> r = http.post("/v1/calls/hello/greeting", "audio/wav",
                    WavWriter.toWav(WavFormat.MULAW_8K_MONO, ulaw, 0, ulaw.length));
            assertThat(r.statusCode()).isEqualTo(202);
            List<String> kinds = new ArrayList<>();
            assertThat(collect(peer, ulaw.length, kinds)).isEqualTo(ulaw);
            assertThat(kinds).containsOnly("greeting");
        }
    }

    @Test
    void stereoWavIs415WithTheReason() throws Exception {
        start("");
        byte[] stereo = WavWriter.toWav(WavFormat.pcm16(16000, 2), new byte[6400], 0, 6400);
        try (WsClient peer = register("st")) {
            HttpResponse<String> r = http.post("/v1/calls/st/audio", "audio/wav", stereo);
            assertThat(r.statusCode()).isEqualTo(415);
            assertThat(errorCode(r)).isEqualTo("unsupported_audio");
            assertThat(json(r).path("error").path("message").asText()).contains("stereo").contains("mono");
            assertThat(peer.pendingTexts()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RIFF", "RIFX\u0000\u0000\u0000\u0000WAVE", "RIFF\u0004\u0000\u0000\u0000WAVE",
        "RIFF\u0000\u0000\u0000\u0000AVI ", "hello, not a wav file"})
    void malformedWavIs400WithTheParsersMessage(String text) throws Exception {
        start("");
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        String expectedMessage;
        try {
            WavReader.read(body);
            throw new AssertionError("test body parsed: " + text);
        } catch (WavFormatException e) {
            expectedMessage = e.getMessage();
        }
        try (WsClient peer = register("bad")) {
            HttpResponse<String> r = http.post("/v1/calls/bad/audio", "audio/wav", body);
            assertThat(peer.pendingTexts()).isZero();
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("bad_wav");
            assertThat(json(r).path("error").path("message").asText()).isEqualTo(expectedMessage);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "text/plain|raw",
        "audio/l16|raw",
        "audio/l16;rate=44100|raw",
        "audio/l16;rate=16000;channels=2|raw",
        "audio/l16;rate=16000;endianness=middle|raw",
        "audio/pcmu;rate=16000|raw",
        "audio/wav|alaw",
        "audio/wav|pcm8",
        "audio/wav|ulaw16k",
        "audio/wav|pcm44k",
    })
    void unsupportedFormatsAre415(String type, String body) throws Exception {
        start("");
        byte[] data = new byte[1600];
        byte[] bytes = switch (body) {
            case "alaw" -> WavWriter.toWav(WavFormat.alaw(8000, 1), data, 0, data.length);
            case "pcm8" -> WavWriter.toWav(WavFormat.of(WavFormat.Encoding.PCM, 8000, 1, 8), data, 0, data.length);
            case "ulaw16k" -> WavWriter.toWav(WavFormat.mulaw(16000, 1), data, 0, data.length);
            case "pcm44k" -> WavWriter.toWav(WavFormat.pcm16(44100, 1), data, 0, data.length);
            default -> data;
        };
        try (WsClient peer = register("fmt")) {
            HttpResponse<String> r = http.post("/v1/calls/fmt/audio", type, bytes);
            assertThat(r.statusCode()).as(type + " " + body + ": " + r.body()).isEqualTo(415);
            assertThat(errorCode(r)).isEqualTo("unsupported_audio");
            assertThat(peer.pendingTexts()).isZero();
        }
    }

    @Test
    void missingContentTypeIs415() throws Exception {
        start("");
        try (WsClient peer = register("none")) {
            HttpResponse<String> r = http.post("/v1/calls/none/audio", null, new byte[160]);
            assertThat(r.statusCode()).isEqualTo(415);
            assertThat(json(r).path("error").path("message").asText()).contains("Content-Type");
            assertThat(peer.isOpen()).isTrue();
        }
    }

    @Test
    void emptyBodiesOddL16AndBadInterruptFlagsAre400() throws Exception {
        start("");
        try (WsClient peer = register("e")) {
            HttpResponse<String> empty = http.post("/v1/calls/e/audio", "audio/pcmu", new byte[0]);
            assertThat(empty.statusCode()).isEqualTo(400);
            assertThat(errorCode(empty)).isEqualTo("empty_body");
            HttpResponse<String> noSamples = http.post("/v1/calls/e/audio", "audio/wav",
                    WavWriter.toWav(WavFormat.pcm16(16000, 1), new byte[0], 0, 0));
            assertThat(noSamples.statusCode()).isEqualTo(400);
            assertThat(errorCode(noSamples)).isEqualTo("bad_audio");
            HttpResponse<String> odd = http.post("/v1/calls/e/audio", "audio/l16;rate=8000", new byte[161]);
            assertThat(odd.statusCode()).isEqualTo(400);
            assertThat(errorCode(odd)).isEqualTo("bad_audio");
            HttpResponse<String> flag = http.post("/v1/calls/e/audio?interrupt=maybe", "audio/pcmu", new byte[160]);
            assertThat(flag.statusCode()).isEqualTo(400);
            assertThat(peer.pendingTexts()).isZero();
        }
    }

    @Test
    void busyWorkersAnswer503() throws Exception {
        start("");
        CountDownLatch release = new CountDownLatch(1);
        try (WsClient peer = register("busy"); ControlWorkers workers = new ControlWorkers(1, 1)) {
            workers.submit(() -> await(release));
            workers.submit(() -> await(release));
            AudioRoute route = new AudioRoute(relay.calls(), workers, AudioRoute.Target.AUDIO);
            ControlRequest request = new ControlRequest("POST", "/v1/calls/busy/audio", Map.of("callId", "busy"),
                    Map.of(),
                    new DefaultHttpHeaders().set(HttpHeaderNames.CONTENT_TYPE, "audio/pcmu"), new byte[160]);
            ControlResponse r = route.handle(request).get(5, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(503);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"busy\"");
            release.countDown();
            // Once the blockers finish, the same request is taken.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int status;
            do {
                status = route.handle(request).get(5, TimeUnit.SECONDS).status();
            } while (status == 503 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(202);
            assertThat(peer.nextText(5000)).contains("\"media\"");
        } finally {
            release.countDown();
        }
    }

    /** The clip transcoded with relay-codec in one piece: the reference the chunked path must equal. */
    static byte[] expectedUlaw(short[] pcm, int rateHz) {
        if (rateHz == 8000) {
            byte[] out = new byte[pcm.length];
            MuLaw.encode(pcm, 0, out, 0, pcm.length);
            return out;
        }
        Decimator d = Decimator.to8k(rateHz);
        int m = d.factor();
        int delay = d.delaySamples();
        short[] padded = Arrays.copyOf(pcm, pcm.length + (delay + 1) * m);
        short[] out = new short[d.outputLength(padded.length)];
        d.process(padded, 0, padded.length, out, 0);
        byte[] ulaw = new byte[(pcm.length + m - 1) / m];
        MuLaw.encode(out, delay, ulaw, 0, ulaw.length);
        return ulaw;
    }

    /** Joins the μ-law data of the peer's audio messages until {@code bytes} have arrived. */
    private static byte[] collect(WsClient peer, int bytes, List<String> kinds) throws Exception {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        while (joined.size() < bytes) {
            JsonNode m = JSON.readTree(peer.nextText(5000));
            kinds.add(m.path("event").asText());
            JsonNode data = m.path("payload").path("data");
            byte[] wav = new byte[data.size()];
            for (int i = 0; i < wav.length; i++) {
                wav[i] = (byte) data.get(i).asInt();
            }
            WavHeader h = WavReader.read(wav);
            assertThat(h.format()).isEqualTo(WavFormat.MULAW_8K_MONO);
            joined.write(wav, h.dataOffset(), h.dataLength());
        }
        return joined.toByteArray();
    }

    static short[] tone(int rateHz, double hz, int samples) {
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) Math.round(12000 * Math.sin(2 * Math.PI * hz * i / rateHz));
        }
        return s;
    }

    private static byte[] bytes(short[] s, boolean bigEndian) {
        byte[] b = new byte[s.length * 2];
        for (int i = 0; i < s.length; i++) {
            byte hi = (byte) (s[i] >> 8);
            byte lo = (byte) s[i];
            b[2 * i] = bigEndian ? hi : lo;
            b[2 * i + 1] = bigEndian ? lo : hi;
        }
        return b;
    }

    private static short[] s16le(byte[] b) {
        short[] s = new short[b.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
        }
        return s;
    }

    private static Object await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
