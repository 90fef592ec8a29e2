package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Faults of the bot stream, each against the real npm {@code ws} server: the bot dies mid-call,
 * refuses the upgrade, is not there at all, ends the stream, answers garbage; and a call that
 * cannot play the bot's audio. The call and the other sink never notice.
 */
@Timeout(60)
class BotFaultsTest {

    @Test
    void botDyingMidCallIsReconnectedTheQueueReplayedAndTheGapShowsInTimestamps() throws Exception {
        List<byte[]> packets = Speech.packets();
        try (BotPeer bot = new BotPeer("--die-after-media", "60");
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.queue-frames = 20")) {
            try (WsClient caller = r.call("bot-dies")) {
                JsonNode firstStart = bot.await("start", l -> true, 5000);
                bot.send("refuse", "status", 503);
                int sent = 0;
                while (bot.seen("dying").isEmpty()) {
                    caller.sendBinary(packets.get(sent++));
                    Thread.sleep(2);
                }
                CallEvent down = r.event("sink.down", e -> BotSinkFactory.NAME.equals(e.data().get("sink")));
                assertThat(down.callId()).isEqualTo("bot-dies");
                assertThat(down.data()).containsEntry("retrying", true);
                // While the bot refuses, 100 frames arrive: the queue keeps the newest 20.
                for (int i = 0; i < 100; i++) {
                    caller.sendBinary(packets.get(sent++));
                }
                bot.await("refused", l -> true, 5000);
                bot.send("refuse", "status", 503, "count", 0);
                JsonNode second = bot.await("start", l -> l.path("conn").asInt() == 2, 5000).path("msg");
                CallEvent up = r.event("sink.up", e -> BotSinkFactory.NAME.equals(e.data().get("sink")));
                assertThat((Long) up.data().get("framesDropped")).isGreaterThanOrEqualTo(80L);
                assertThat(up.data()).containsEntry("reconnects", 1L);
                assertThat(second.path("streamSid").asText()).isEqualTo(firstStart.path("msg").path("streamSid")
                        .asText());
                assertThat(second.path("start").path("customParameters").path("reconnects").asText()).isEqualTo("1");
                for (int i = 0; i < 40; i++) {
                    caller.sendBinary(packets.get(sent++));
                    Thread.sleep(2);
                }
                int total = sent;
                MemorySink memory = r.memory.await("bot-dies", 5000);
                Await.until("the call's frames at the memory sink", () -> memory.framesIn() >= total - 3);
                caller.sendClose(1000);
                caller.awaitCloseCode(5000);
            }
            JsonNode one = bot.await("closed", l -> l.path("conn").asInt() == 1, 5000);
            JsonNode two = bot.await("closed", l -> l.path("conn").asInt() == 2, 5000);
            long lastOfFirst = last(one.path("timestamps"));
            JsonNode ts = two.path("timestamps");
            long gapMs = ts.get(0).asLong() - lastOfFirst - 20;
            assertThat(gapMs).as("frames dropped while the bot was away").isGreaterThanOrEqualTo(80 * 20);
            // The queue's 20 frames come first and in one piece; after them the live audio, which on a
            // loaded machine may overflow a 20-frame queue again: later steps are whole frames.
            for (int i = 1; i < ts.size(); i++) {
                long step = ts.get(i).asLong() - ts.get(i - 1).asLong();
                if (i < 20) {
                    assertThat(step).as("replayed queue is contiguous").isEqualTo(20);
                } else {
                    assertThat(step).isPositive().isEqualTo(step / 20 * 20);
                }
            }
            assertThat(last(ts)).as("every frame up to the call's end").isEqualTo(20L * (r.memory.await("bot-dies",
                    1000).framesIn() - 1));
            assertThat(two.path("chunks").get(0).asInt()).isEqualTo(1);
            assertThat(r.memory.await("bot-dies", 1000).timelineError()).isNull();
        }
    }

    @Test
    void refusedUpgradeIsNotRetriedAndTheCallCarriesOn() throws Exception {
        try (BotPeer bot = new BotPeer("--refuse", "403");
                BotRelay r = new BotRelay(bot.url(), "")) {
            try (WsClient caller = r.call("bot-403")) {
                CallEvent down = r.event("sink.down", e -> true);
                assertThat(down.data()).containsEntry("sink", BotSinkFactory.NAME)
                        .containsEntry("retrying", false);
                assertThat((String) down.data().get("reason")).contains("403");
                BotSinkTest.sendSpeech(caller);
                MemorySink memory = r.memory.await("bot-403", 5000);
                Await.until("426 frames at the memory sink", () -> memory.framesIn() == 426);
                Thread.sleep(300);
                caller.sendClose(1000);
                caller.awaitCloseCode(5000);
            }
            CallEvent ended = r.event("call.ended", e -> true);
            assertThat(ended.data()).containsEntry("packetsIn", 426L);
            assertThat(bot.seen("refused")).as("one attempt, no retries").hasSize(1);
            assertThat(bot.seen("upgrade")).isEmpty();
        }
    }

    @Test
    void botEndingTheStreamWith1000IsNotReconnected() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "")) {
            try (WsClient caller = r.call("bot-ends")) {
                bot.await("start", l -> true, 5000);
                bot.send("close", "code", 1000);
                CallEvent down = r.event("sink.down", e -> true);
                assertThat(down.data()).containsEntry("retrying", false);
                assertThat((String) down.data().get("reason")).contains("ended the stream");
                BotSinkTest.sendSpeech(caller);
                Thread.sleep(300);
                assertThat(caller.isOpen()).isTrue();
            }
            assertThat(bot.seen("upgrade")).hasSize(1);
        }
    }

    @Test
    void unreachableBotIsRetriedWithBackoffAndTheCallEndsOnTime() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (BotRelay r = new BotRelay("ws://127.0.0.1:" + port + "/bot",
                "relay.sinks.media-stream.flush-timeout = 300ms")) {
            try (WsClient caller = r.call("bot-nowhere")) {
                CallEvent down = r.event("sink.down", e -> true);
                assertThat(down.data()).containsEntry("retrying", true);
                assertThat((String) down.data().get("reason")).contains("cannot connect");
                BotSinkTest.sendSpeech(caller);
                MemorySink memory = r.memory.await("bot-nowhere", 5000);
                Await.until("426 frames at the memory sink", () -> memory.framesIn() == 426);
                caller.sendClose(1000);
                caller.awaitCloseCode(5000);
            }
            long t0 = System.nanoTime();
            r.event("call.ended", e -> true);
            Await.until("the bot sink closed", () -> r.bot.group().live() == 0);
            assertThat((System.nanoTime() - t0) / 1_000_000).as("bounded by flush-timeout").isLessThan(2000);
            assertThat(r.relay.calls().active()).isZero();
            assertThat(r.events("sink.up")).isEmpty();
        }
    }

    @Test
    void garbageFromTheBotIsCountedAndIgnoredAndTheStreamCarriesOn() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.play-linger = 0")) {
            try (WsClient caller = r.call("bot-garbage")) {
                bot.await("start", l -> true, 5000);
                bot.send("raw", "text", "this is not json");
                bot.send("raw", "text", "{\"event\":\"media\",\"media\":{\"payload\":\"%%%\"}}");
                bot.send("raw", "text", "{\"event\":\"dance\",\"streamSid\":\"x\"}");
                bot.send("binary");
                bot.send("raw", "text", "{\"event\":\"mark\",\"mark\":{}}");
                bot.send("raw", "text", "{\"event\":\"media\",\"media\":{\"payload\":\"\"}}");
                bot.send("raw", "text", "{\"event\":\"start\",\"start\":{}}");
                bot.send("mark", "name", "still-here");
                bot.await("mark", l -> l.path("msg").path("mark").path("name").asText().equals("still-here"), 5000);
                byte[] tone = BotSinkTest.tone(480, 4);
                bot.sendMedia(tone, 160);
                assertThat(BotRelay.hear(caller, tone.length, 5000).audio()).isEqualTo(tone);
                assertThat(r.counters().messages(BotCounters.Kind.INVALID)).isEqualTo(5);
                assertThat(r.counters().messages(BotCounters.Kind.UNKNOWN)).isEqualTo(1);
                assertThat(r.counters().messages(BotCounters.Kind.IGNORED)).isEqualTo(1);
                assertThat(r.counters().messages(BotCounters.Kind.MARK)).isEqualTo(1);
                PromText metrics = PromText.parse(new String(r.relay.metrics().scrapeText(), StandardCharsets.UTF_8));
                assertThat(metrics.value("relay_bot_messages_total", "sink", "media-stream", "kind",
                        "invalid")).isEqualTo(5);
                assertThat(metrics.value("relay_bot_messages_total", "sink", "media-stream", "kind",
                        "unknown")).isEqualTo(1);
                assertThat(metrics.value("relay_bot_audio_bytes_total", "sink", "media-stream", "outcome", "played"))
                        .isEqualTo(480);
                assertThat(metrics.value("relay_bot_marks_echoed_total", "sink", "media-stream")).isEqualTo(1);
            }
            assertThat(bot.seen("upgrade")).hasSize(1);
            assertThat(r.events("sink.down")).isEmpty();
        }
    }

    @Test
    void rawPcmCallDropsBotAudioWithOneEventAndStillAnswersMarks() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.routes.default = [media-stream]")) {
            try (WsClient caller = WsClient.connect(TestRelays.wsUrl(r.relay, "/media?callId=raw-1"))) {
                caller.sendBinary(new byte[640]);
                bot.await("start", l -> true, 5000);
                bot.sendMedia(BotSinkTest.tone(1600, 1), 160);
                bot.sendMedia(BotSinkTest.tone(800, 2), 160);
                bot.send("mark", "name", "m");
                bot.await("mark", l -> true, 5000);
                Await.until("2400 bot audio bytes dropped",
                        () -> r.counters().audioBytes(BotCounters.Outcome.DROPPED) == 2400);
                List<CallEvent> dropped = r.events("bot.audio.dropped");
                assertThat(dropped).hasSize(1);
                assertThat(dropped.get(0).data()).containsEntry("sink", BotSinkFactory.NAME);
                assertThat(dropped.get(0).callId()).isEqualTo("raw-1");
                assertThat(r.counters().audioBytes(BotCounters.Outcome.PLAYED)).isZero();
                assertThat(caller.pendingTexts()).isZero();
            }
        }
    }

    @Test
    void botThatStopsReadingCostsItsQueueNotTheCallAndMemoryStaysBounded() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.encoding = l16\n"
                        + "relay.sinks.media-stream.queue-frames = 50\n"
                        + "relay.sinks.media-stream.ping-interval = 0")) {
            try (WsClient caller = WsClient.connect(TestRelays.wsUrl(r.relay, "/media?callId=stalled"))) {
                caller.sendBinary(new byte[640]);
                bot.await("start", l -> true, 5000);
                bot.send("pause");
                // 40 s of raw 16 kHz PCM in 2 s messages: more than the socket buffers and the queue hold.
                byte[] twoSeconds = new byte[64_000];
                for (int i = 1; i < twoSeconds.length / 2; i++) {
                    short v = (short) (3000 * Math.sin(i * 0.05));
                    twoSeconds[2 * i] = (byte) v;
                    twoSeconds[2 * i + 1] = (byte) (v >> 8);
                }
                for (int m = 0; m < 20; m++) {
                    caller.sendBinary(twoSeconds);
                }
                // Raw PCM reaches the sinks in 120 ms frames: 1 + 20 x 16.67 of them.
                MemorySink memory = r.memory.await("stalled", 5000);
                // 40 s of audio through the whole path: 5 s was too tight a hang bound at a load average of 25.
                Await.until("all the audio at the memory sink", Duration.ofSeconds(30),
                        () -> memory.samples().length == 320 + 20 * 32_000);
                long frames = memory.framesIn();
                PromText during = PromText.parse(new String(r.relay.metrics().scrapeText(), StandardCharsets.UTF_8));
                assertThat(during.value("relay_sink_queue_depth", "sink", "media-stream")).as("bounded queue")
                        .isLessThanOrEqualTo(51);
                double dropped = during.value("relay_frames_dropped_total", "sink", "media-stream");
                assertThat(dropped).as("the oldest frames went").isGreaterThan(100);
                System.out.printf("media-stream stalled bot: %d frames (120 ms) in, %.0f dropped, queue depth %.0f%n",
                        frames, dropped, during.value("relay_sink_queue_depth", "sink", "media-stream"));
                assertThat(caller.isOpen()).isTrue();
                bot.send("resume");
                JsonNode report = bot.reportUntil(rep -> rep.path("media").asLong() + (long) dropped >= frames, 10_000);
                assertThat(report.path("media").asLong() + (long) dropped).isEqualTo(frames);
                assertThat(r.events("sink.down")).as("a slow bot is not a dead bot").isEmpty();
            }
        }
    }

    @Test
    void botThatGoesSilentIsFoundByPingsAndReplaced() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.ping-interval = 100ms")) {
            try (WsClient caller = r.call("bot-silent")) {
                bot.await("start", l -> true, 5000);
                Thread.sleep(500);
                assertThat(r.events("sink.down")).as("pongs keep a live bot up").isEmpty();
                bot.send("pause");
                CallEvent down = r.event("sink.down", e -> true);
                assertThat((String) down.data().get("reason")).contains("not even a pong");
                assertThat(down.data()).containsEntry("retrying", true);
                bot.await("start", l -> l.path("conn").asInt() == 2, 5000);
                r.event("sink.up", e -> true);
                assertThat(caller.isOpen()).isTrue();
            }
        }
    }

    @Test
    void botMessageOverTheLimitDropsTheConnectionWhichIsReplaced() throws Exception {
        try (BotPeer bot = new BotPeer();
                BotRelay r = new BotRelay(bot.url(), "relay.sinks.media-stream.max-message-bytes = 2KiB")) {
            try (WsClient caller = r.call("bot-big")) {
                bot.await("start", l -> true, 5000);
                bot.send("raw", "text", "{\"event\":\"media\",\"media\":{\"payload\":\"" + "A".repeat(4000) + "\"}}");
                JsonNode closed = bot.await("closed", l -> l.path("conn").asInt() == 1, 5000);
                assertThat(closed.path("code").asInt()).isEqualTo(1009);
                bot.await("start", l -> l.path("conn").asInt() == 2, 5000);
                r.event("sink.up", e -> true);
                assertThat(r.counters().messages(BotCounters.Kind.INVALID)).isEqualTo(1);
                assertThat(caller.isOpen()).isTrue();
            }
        }
    }

    private static long last(JsonNode array) {
        return array.get(array.size() - 1).asLong();
    }

}
