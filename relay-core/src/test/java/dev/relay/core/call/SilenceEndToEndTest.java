package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.testing.TestData;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.sink.Sinks;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The call the issue measured from outside, through the real relay to the real recorder: 1 s
 * speech, 2.5 s comfort noise, 1 s speech, a 1.5 s DTMF digit, 1 s speech. It reached the
 * recorder as 3.0 s; it must be 7.0 s, whether the comfort noise comes as a packet every 20 ms or
 * as one packet and then nothing (silence suppression).
 */
@Timeout(60)
class SilenceEndToEndTest {
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @ParameterizedTest(name = "{0}, CN every {1} frames, dsp {2}")
    @CsvSource({"pcm16, 1, inline", "pcm16, 125, inline", "ulaw, 1, inline", "ulaw, 125, dedicated"})
    void theRecordingIsSevenSecondsLong(String format, int cnEvery, String dsp, @TempDir Path dir) throws Exception {
        RelayConfig config = RelayConfig.from(TestRelays.config("relay.routes.default = [recorder]\n"
                + "relay.dsp.mode = " + dsp + "\n"
                + "relay.sinks.recorder.format = " + format + "\n"
                + "relay.sinks.recorder.dir = \"" + dir + "\""));
        relay = new RelayServer(config, Sinks.standard(config)).start();
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);

        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"seven\"}");
            assertThat(ws.nextText(5000)).contains("seven");
            for (byte[] packet : sevenSecondCall(cnEvery)) {
                ws.sendBinary(packet);
            }
            ws.sendClose(1000);
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1000);
        }
        RelayTestBase.waitUntil(() -> events.stream().anyMatch(e -> e.type().equals("call.ended")));
        relay.close();

        WavHeader h;
        try (Stream<Path> files = Files.list(dir)) {
            h = WavReader.read(Files.readAllBytes(files.findFirst().orElseThrow()));
        }
        assertThat(h.truncated()).isFalse();
        assertThat(h.durationMs()).isEqualTo(7000);
        assertThat(h.frames()).isEqualTo(format.equals("pcm16") ? 112_000 : 56_000);
        assertThat(events.stream().filter(e -> e.type().equals("dtmf"))).hasSize(1);
        assertThat(events).noneMatch(e -> e.type().equals("media.gap"));
    }

    /** The packets of the call, in order: speech from the reference clip, CN, a held '5'. */
    private static List<byte[]> sevenSecondCall(int cnEvery) {
        byte[] speech = TestData.bytes("speech_8k.ulaw");
        List<byte[]> packets = new ArrayList<>();
        int seq = 1000;
        long ts = 160_000;
        int speechAt = 0;
        for (int segment = 0; segment < 3; segment++) {
            for (int f = 0; f < 50; f++, ts += 160, speechAt += 160) {
                packets.add(CallPipelineTest.rtp(0, seq++, ts, f == 0,
                        Arrays.copyOfRange(speech, speechAt, speechAt + 160)));
            }
            if (segment == 0) { // 2.5 s of comfort noise
                for (int f = 0; f < 125; f += cnEvery) {
                    packets.add(CallPipelineTest.rtp(13, seq++, ts + 160L * f, false, new byte[] {60}));
                }
                ts += 20_000;
            } else if (segment == 1) { // a 1.5 s '5': an update every 50 ms, the end three times
                for (int d = 400; d <= 12_000; d += 400) {
                    packets.add(CallPipelineTest.rtp(101, seq++, ts, d == 400,
                            new byte[] {5, 10, (byte) (d >> 8), (byte) d}));
                }
                for (int i = 0; i < 3; i++) {
                    packets.add(CallPipelineTest.rtp(101, seq++, ts, false,
                            new byte[] {5, (byte) 0x8A, (byte) (12_000 >> 8), (byte) 12_000}));
                }
                ts += 12_000;
            }
        }
        return packets;
    }
}
