package dev.relay.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.testing.TestData;
import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The WAV recorder through the real relay: content, header fix-up at close, disk errors. */
@Timeout(60)
class RecorderSinkTest {
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private RelayServer start(Path dir, String format) throws Exception {
        String overrides = "relay.routes.default = [recorder, memory]\n"
                + "relay.sinks.recorder.dir = \"" + dir.toString().replace("\\", "/") + "\"\n"
                + "relay.sinks.recorder.format = " + format;
        RelayConfig config = RelayConfig.from(TestRelays.config(overrides));
        Map<String, SinkFactory> sinks = new HashMap<>(Sinks.standard(config));
        sinks.put("memory", new MemorySinkFactory());
        return new RelayServer(config, sinks).start();
    }

    private void streamSpeech(String callId) throws Exception {
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
            ws.nextText(5000);
            for (byte[] p : Speech.packets()) {
                ws.sendBinary(p);
            }
            ws.sendClose(1000);
            ws.awaitCloseCode(5000);
        }
    }

    private static Path onlyWav(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> wavs = files.filter(f -> f.toString().endsWith(".wav")).toList();
            assertThat(wavs).hasSize(1);
            return wavs.get(0);
        }
    }

    @Test
    void recordsPcm16At16kWithTheHeaderFixedAtCallEnd(@TempDir Path dir) throws Exception {
        relay = start(dir, "pcm16");
        streamSpeech("rec/1");
        relay.close();
        Path wav = onlyWav(dir);
        assertThat(wav.getFileName().toString()).startsWith("rec_1-");
        byte[] bytes = Files.readAllBytes(wav);
        WavHeader h = WavReader.read(bytes);
        assertThat(h.format()).isEqualTo(WavFormat.PCM16_16K_MONO);
        assertThat(h.truncated()).isFalse();
        assertThat(h.dataLength()).isEqualTo(426 * 320 * 2);
        short[] samples = new short[h.dataLength() / 2];
        ByteBuffer.wrap(bytes, h.dataOffset(),
                h.dataLength()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        assertThat(Speech.snrAgainstReference(samples)).isGreaterThanOrEqualTo(36.0);
    }

    @Test
    void recordsMuLawAt8kExactlyAsReceived(@TempDir Path dir) throws Exception {
        relay = start(dir, "ulaw");
        streamSpeech("rec-ulaw");
        relay.close();
        byte[] bytes = Files.readAllBytes(onlyWav(dir));
        WavHeader h = WavReader.read(bytes);
        assertThat(h.format()).isEqualTo(WavFormat.MULAW_8K_MONO);
        byte[] expected = TestData.bytes("speech_8k.ulaw");
        byte[] data = Arrays.copyOfRange(bytes, h.dataOffset(), h.dataOffset() + expected.length);
        // Decode-then-encode is exact for every code except 0x7F, which comes back as 0xFF.
        for (int i = 0; i < expected.length; i++) {
            byte want = expected[i] == 0x7F ? (byte) 0xFF : expected[i];
            assertThat(data[i]).as("sample %d", i).isEqualTo(want);
        }
        assertThat(MuLaw.decode(data[0])).isEqualTo(MuLaw.decode(expected[0]));
    }

    @Test
    void unwritableDirectoryIsASinkDownEventAndTheCallCarriesOn(@TempDir Path tmp) throws Exception {
        Path blocker = tmp.resolve("not-a-dir");
        Files.writeString(blocker, "a file where the directory should be");
        relay = start(blocker, "pcm16");
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        streamSpeech("rec-fail");
        Await.until("call.ended", () -> events.stream().anyMatch(e -> e.type().equals("call.ended")));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("sink.down");
            assertThat(e.data()).containsEntry("sink", "recorder");
        });
        CallEvent ended = events.stream().filter(e -> e.type().equals("call.ended")).findFirst().orElseThrow();
        assertThat(ended.data().get("packetsIn")).isEqualTo(426L);
    }
}
