package dev.relay.core.sink.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavFormatException;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A relay with the media-stream sink (and the memory sink) for one test, and what its caller hears. */
final class BotRelay implements AutoCloseable {
    private static final ObjectMapper JSON = Json.MAPPER;

    final MemorySinkFactory memory = new MemorySinkFactory();
    final BotSinkFactory bot;
    final RelayServer relay;
    final List<CallEvent> events = new CopyOnWriteArrayList<>();

    /** {@code overrides} (HOCON) on top of TestRelays' config, with {@code url} as the bot's URL. */
    BotRelay(String url, String overrides) throws InterruptedException {
        RelayConfig config = RelayConfig.from(TestRelays.config(
                "relay.sinks.media-stream.url = \"" + url + "\"\n"
                        + "relay.routes.default = [memory, media-stream]\n"
                        + "relay.sinks.media-stream.reconnect.initial = 50ms\n"
                        + "relay.sinks.media-stream.reconnect.max = 200ms\n"
                        + overrides));
        bot = BotSinkFactory.from(config);
        Map<String, SinkFactory> sinks = new HashMap<>();
        sinks.put("memory", memory);
        sinks.put(BotSinkFactory.NAME, bot);
        relay = new RelayServer(config, sinks);
        relay.events().subscribe(events::add);
        relay.start();
    }

    BotCounters counters() {
        return bot.counters();
    }

    /** Connects as Alohaa and registers {@code callId}. */
    WsClient call(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"4155551234\"}");
        String ack = ws.nextText(5000);
        if (!ack.contains(callId)) {
            throw new AssertionError("no registration ack: " + ack);
        }
        return ws;
    }

    /** The first event of {@code type} matching {@code filter}, waiting up to 5 s. */
    CallEvent event(String type, Predicate<CallEvent> filter) throws InterruptedException {
        return Await.value("a matching " + type + " event", Await.DEFAULT_TIMEOUT,
                () -> events.stream().filter(e -> e.type().equals(type) && filter.test(e)).findFirst().orElse(null),
                () -> events);
    }

    List<CallEvent> events(String type) {
        return events.stream().filter(e -> e.type().equals(type)).toList();
    }

    /**
     * Reads the caller's messages until {@code bytes} of outbound μ-law audio arrived; returns them
     * joined. Every media message must be a μ-law 8 kHz WAV of the Alohaa shape.
     */
    static Heard hear(WsClient ws, int bytes, long timeoutMs) throws Exception {
        ByteArrayOutputStream audio = new ByteArrayOutputStream();
        int messages = 0;
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (audio.size() < bytes) {
            JsonNode m = JSON.readTree(ws.nextText(Math.max(1, deadline - System.currentTimeMillis())));
            if (!m.path("event").asText().equals("media")) {
                throw new AssertionError("expected media, got " + m);
            }
            audio.write(wavData(m));
            messages++;
        }
        return new Heard(audio.toByteArray(), messages);
    }

    /** The μ-law samples of one Alohaa outbound media message, given as its text. */
    static byte[] wavDataOf(String text) throws Exception {
        return wavData(JSON.readTree(text));
    }

    /** The μ-law samples of one Alohaa outbound media message. */
    static byte[] wavData(JsonNode media) throws WavFormatException {
        JsonNode data = media.path("payload").path("data");
        byte[] wav = new byte[data.size()];
        for (int i = 0; i < wav.length; i++) {
            wav[i] = (byte) data.get(i).asInt();
        }
        WavHeader h = WavReader.read(wav);
        if (!WavFormat.MULAW_8K_MONO.equals(h.format())) {
            throw new AssertionError("not μ-law 8 kHz: " + h.format());
        }
        return Arrays.copyOfRange(wav, h.dataOffset(), h.dataOffset() + h.dataLength());
    }

    /** Audio the caller received, and in how many messages. */
    record Heard(byte[] audio, int messages) {}

    @Override
    public void close() {
        relay.close();
    }
}
