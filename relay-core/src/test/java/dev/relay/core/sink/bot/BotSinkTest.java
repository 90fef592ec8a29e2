package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The media-stream sink against the real npm {@code ws} server playing the bot
 * ({@code test-peers/bot-server.js}), with a real relay and an Alohaa caller: the envelope the bot
 * receives, audio both ways bit for bit, clear, marks.
 */
@Timeout(60)
class BotSinkTest {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The clip's μ-law as the relay re-encodes it: decode-then-encode is exact except 0x7F → 0xFF. */
    static byte[] speechUlaw() {
        List<byte[]> packets = Speech.packets();
        byte[] out = new byte[packets.size() * 160];
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            for (int k = 0; k < 160; k++) {
                out[i * 160 + k] = MuLaw.encode(MuLaw.decode(p[12 + k]));
            }
        }
        return out;
    }

    static void sendSpeech(WsClient ws) {
        for (byte[] p : Speech.packets()) {
            ws.sendBinary(p);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void muLawCallReachesTheBotAndTheBotsEchoComesBackToTheCaller() throws Exception {
        byte[] expected = speechUlaw();
        try (BotPeer bot = new BotPeer("--echo");
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.token = s3cret")) {
            try (WsClient caller = r.call("bot-ulaw")) {
                JsonNode upgrade = bot.await("upgrade", l -> true, 5000);
                assertThat(upgrade.path("headers").path("authorization").asText()).isEqualTo("Bearer s3cret");
                assertThat(upgrade.path("url").asText()).isEqualTo("/bot?x=1");
                JsonNode connected = bot.await("connected", l -> true, 5000).path("msg");
                assertThat(connected.path("protocol").asText()).isEqualTo("Call");
                assertThat(connected.path("version").asText()).isEqualTo("1.0.0");
                JsonNode start = bot.await("start", l -> true, 5000).path("msg");
                assertThat(start.path("sequenceNumber").asText()).isEqualTo("1");
                String sid = start.path("streamSid").asText();
                assertThat(sid).matches("MZ[0-9a-f]{32}");
                assertThat(start.path("start").path("streamSid").asText()).isEqualTo(sid);
                assertThat(start.path("start").path("callSid").asText()).isEqualTo("bot-ulaw");
                assertThat(start.path("start").path("customParameters").path("callId").asText()).isEqualTo("bot-ulaw");
                assertThat(start.path("start").path("customParameters").path("mobileNo").asText())
                        .isEqualTo("4155551234");
                assertThat(start.path("start").path("customParameters").path("reconnects").asText()).isEqualTo("0");
                JsonNode format = start.path("start").path("mediaFormat");
                assertThat(format.path("encoding").asText()).isEqualTo("audio/x-mulaw");
                assertThat(format.path("sampleRate").asInt()).isEqualTo(8000);
                assertThat(format.path("channels").asInt()).isEqualTo(1);

                sendSpeech(caller);
                bot.reportUntil(rep -> rep.path("bytes").asInt() == expected.length, 10_000);
                bot.send("mark", "name", "end-of-echo");
                BotRelay.Heard heard = BotRelay.hear(caller, expected.length, 10_000);
                assertThat(heard.audio()).isEqualTo(expected);
                assertThat(heard.messages()).as("echoed 20 ms messages are batched").isLessThan(20);
                JsonNode mark = bot.await("mark", l -> true, 5000).path("msg");
                assertThat(mark.path("mark").path("name").asText()).isEqualTo("end-of-echo");
                assertThat(mark.path("streamSid").asText()).isEqualTo(sid);
                caller.sendClose(1000);
                caller.awaitCloseCode(5000);

                JsonNode stop = bot.await("stop", l -> true, 5000).path("msg");
                assertThat(stop.path("streamSid").asText()).isEqualTo(sid);
                assertThat(stop.path("stop").path("callSid").asText()).isEqualTo("bot-ulaw");
                JsonNode closed = bot.await("closed", l -> true, 5000);
                assertThat(closed.path("code").asInt()).isEqualTo(1000);
                assertThat(closed.path("media").asInt()).isEqualTo(426);
                assertThat(closed.path("sha256").asText()).isEqualTo(sha256(expected));
                for (int i = 0; i < 426; i++) {
                    assertThat(closed.path("timestamps").get(i).asLong()).isEqualTo(20L * i);
                    assertThat(closed.path("chunks").get(i).asInt()).isEqualTo(i + 1);
                }
                // connected carries no sequence number; start is 1, then every message counts up.
                JsonNode seq = closed.path("sequence");
                assertThat(seq.get(0).isNull()).isTrue();
                assertThat(seq.size()).isEqualTo(1 + 1 + 426 + 1 + 1);
                for (int i = 1; i < seq.size(); i++) {
                    assertThat(seq.get(i).asText()).isEqualTo(Integer.toString(i));
                }
                assertThat(closed.path("tracks").toString()).isEqualTo("[\"inbound\"]");
            }
            assertThat(r.counters().audioBytes(BotCounters.Outcome.PLAYED)).isEqualTo(expected.length);
            assertThat(r.counters().messages(BotCounters.Kind.MEDIA)).isEqualTo(426);
            assertThat(r.counters().marksEchoed()).isEqualTo(1);
            assertThat(bot.seen("upgrade")).hasSize(1);
        }
    }

    @Test
    void l16CallSendsBigEndianPcmAndTheBotsL16ComesBackDecimatedToMuLaw() throws Exception {
        try (BotPeer bot = new BotPeer("--echo");
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.encoding = l16\n"
                        + "relay.sinks.media-stream.chunk-ms = 40")) {
            try (WsClient caller = r.call("bot-l16")) {
                JsonNode format = bot.await("start", l -> true, 5000).path("msg").path("start").path("mediaFormat");
                assertThat(format.path("encoding").asText()).isEqualTo("audio/l16");
                assertThat(format.path("sampleRate").asInt()).isEqualTo(16000);
                sendSpeech(caller);
                MemorySink memory = r.memory.await("bot-l16", 5000);
                int bytes16k = 426 * 320 * 2;
                JsonNode report = bot.reportUntil(rep -> rep.path("bytes").asInt() == bytes16k, 10_000);
                short[] pcm = memory.samples();
                assertThat(pcm).hasSize(426 * 320);
                byte[] be = new byte[pcm.length * 2];
                for (int i = 0; i < pcm.length; i++) {
                    be[2 * i] = (byte) (pcm[i] >> 8);
                    be[2 * i + 1] = (byte) pcm[i];
                }
                assertThat(report.path("sha256").asText()).isEqualTo(sha256(be));
                assertThat(report.path("media").asInt()).isEqualTo(213);
                assertThat(report.path("timestamps").get(1).asLong()).isEqualTo(40);

                bot.send("mark", "name", "flush");
                byte[] expected = Pcm16ToUlaw8k.clip(be, 0, be.length, 16000, true);
                BotRelay.Heard heard = BotRelay.hear(caller, expected.length, 10_000);
                assertThat(heard.audio()).isEqualTo(expected);
                bot.await("mark", l -> l.path("msg").path("mark").path("name").asText().equals("flush"), 5000);
            }
        }
    }

    @Test
    void clearInterruptsTheCallerAndDropsBotAudioNotYetPlayed() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.play-linger = 10s")) {
            try (WsClient caller = r.call("bot-clear")) {
                bot.await("start", l -> true, 5000);
                bot.sendMedia(tone(8000, 3), 160);
                Await.until("50 media messages from the bot",
                        () -> r.counters().messages(BotCounters.Kind.MEDIA) == 50);
                bot.send("clear");
                assertThat(caller.nextText(5000)).isEqualTo("{\"event\":\"interrupt\",\"callId\":\"bot-clear\"}");
                assertThat(r.counters().audioBytes(BotCounters.Outcome.CLEARED)).isEqualTo(8000);

                byte[] after = tone(4000, 7);
                bot.sendMedia(after, 160);
                bot.send("mark", "name", "after-clear");
                JsonNode media = JSON.readTree(caller.nextText(5000));
                assertThat(media.path("event").asText()).isEqualTo("media");
                assertThat(media.path("callId").asText()).isEqualTo("bot-clear");
                assertThat(BotRelay.wavData(media)).as("only the audio after the clear").isEqualTo(after);
                bot.await("mark", l -> l.path("msg").path("mark").path("name").asText().equals("after-clear"), 5000);
                assertThat(r.counters().messages(BotCounters.Kind.CLEAR)).isEqualTo(1);
                assertThat(r.counters().audioBytes(BotCounters.Outcome.PLAYED)).isEqualTo(4000);
                Await.during("nothing more for the caller", Duration.ofMillis(100), () -> caller.pendingTexts() == 0);
            }
        }
    }

    @Test
    void marksAreAnsweredInOrderOnceTheAudioBeforeThemWasHandedToTheCall() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.play-linger = 10s")) {
            try (WsClient caller = r.call("bot-marks")) {
                bot.await("start", l -> true, 5000);
                byte[] a = tone(800, 1);
                byte[] b = tone(1600, 2);
                bot.sendMedia(a, 160);
                bot.send("mark", "name", "m1");
                bot.sendMedia(b, 400);
                bot.send("mark", "name", "m2");
                bot.send("mark", "name", "m3");
                assertThat(BotRelay.wavData(JSON.readTree(caller.nextText(5000)))).isEqualTo(a);
                assertThat(BotRelay.wavData(JSON.readTree(caller.nextText(5000)))).isEqualTo(b);
                for (String name : List.of("m1", "m2", "m3")) {
                    JsonNode mark = bot.await("mark", l -> true, 5000).path("msg");
                    assertThat(mark.path("mark").path("name").asText()).isEqualTo(name);
                }
                assertThat(r.counters().marksEchoed()).isEqualTo(3);
                Await.during("no audio message for marks without audio", Duration.ofMillis(100),
                        () -> caller.pendingTexts() == 0);
            }
        }
    }

    /**
     * A bot pacing 1 s of audio in 20 ms messages: with the default 200 ms linger the caller gets a
     * handful of outbound messages; with linger 0 (hand over per read burst) about one per message.
     */
    @ParameterizedTest
    @CsvSource({"200ms, 3, 10", "0, 25, 50"})
    void pacedBotAudioIsBatchedIntoFewOutboundMessages(String linger, int fewest, int most) throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.play-linger = " + linger)) {
            try (WsClient caller = r.call("bot-paced")) {
                bot.await("start", l -> true, 5000);
                byte[] second = tone(8000, 5);
                bot.command(Map.of("cmd", "media", "payload",
                        Base64.getEncoder().encodeToString(second), "chunk", 160, "paceMs", 20));
                BotRelay.Heard heard = BotRelay.hear(caller, second.length, 10_000);
                assertThat(heard.audio()).isEqualTo(second);
                System.out.printf("media-stream batching: play-linger=%s, 50 paced bot messages -> %d outbound%n",
                        linger, heard.messages());
                assertThat(heard.messages()).isBetween(fewest, most);
            }
        }
    }

    /** {@code n} bytes of a μ-law tone, different per {@code seed}. */
    static byte[] tone(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = MuLaw.encode((int) (8000 * Math.sin(2 * Math.PI * (300 + 50 * seed) * i / 8000.0)));
        }
        return b;
    }

}
