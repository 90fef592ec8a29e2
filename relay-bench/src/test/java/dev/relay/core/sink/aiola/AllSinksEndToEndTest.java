package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.bench.fakes.FakeSession;
import dev.relay.bench.fakes.FakeSessionStream;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #4's "done when": one call fans out at once to aiOla (the real npm socket.io server), the
 * session-stream fake and the recorder, and each gets the same audio, which matches the sox
 * reference. Lives in relay-bench (the session-stream fake is here), in the aiola package for the
 * npm server fixture.
 */
@Timeout(60)
class AllSinksEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void oneCallReachesAiolaSessionStreamAndTheRecorderWithTheSameAudio() throws Exception {
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        MemorySinkFactory memory = new MemorySinkFactory();
        try (AiolaServer aiola = AiolaServer.withToken(0);
                FakeSessionStream session = FakeSessionStream.builder().apiKey("k").recordAudio(true).pendingPolls(1)
                        .start()) {
            RelayConfig config = RelayConfig.from(TestRelays.config("""
                    relay.routes.default = [aiola, session-stream, recorder, memory]
                    relay.sinks.aiola { url = "%s", token = "%s", close-linger = 100ms }
                    relay.sinks.session-stream { base-url = "%s", api-key = "k", result-poll-interval = 50ms }
                    relay.sinks.recorder.dir = "%s"
                    """.formatted(aiola.url(), AiolaServer.TOKEN, session.baseUrl(), tmp.resolve("rec"))));
            RelayServer relay = TestRelays.startWithStandardSinks(config, memory);
            try {
                relay.events().subscribe(events::add);
                try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
                    ws.sendText("{\"event\":\"connected\",\"callId\":\"all-1\"}");
                    assertThat(ws.nextText(5000)).contains("all-1");
                    for (byte[] packet : Speech.packets()) {
                        ws.sendBinary(packet);
                    }
                    ws.sendClose(1000);
                    ws.awaitCloseCode(5000);
                }
                awaitEvent(events, "session.result");
                awaitEvent(events, "call.ended");
                short[] pipeline = memory.await("all-1", 1000).samples();
                assertThat(pipeline).hasSize(426 * 320);
                assertThat(Speech.snrAgainstReference(pipeline)).isGreaterThanOrEqualTo(36.0);

                aiola.await("disconnect", l -> l.path("exec").asText().equals(ExecutionId.of("all-1")), 10_000);
                assertThat(AiolaRelayHarness.samples(aiola.audio(ExecutionId.of("all-1"), tmp))).isEqualTo(pipeline);
                FakeSession stream = session.awaitSession(0, 1000);
                assertThat(stream.samples()).isEqualTo(pipeline);
                relay.close(); // the recorder's header is fixed up once its writer has drained
                try (var files = Files.list(tmp.resolve("rec"))) {
                    Path wav = files.filter(p -> p.getFileName().toString().startsWith("all-1-")).findFirst()
                            .orElseThrow();
                    byte[] bytes = Files.readAllBytes(wav);
                    WavHeader header = WavReader.read(bytes);
                    assertThat(header.truncated()).isFalse();
                    assertThat(AiolaRelayHarness.samples(Arrays.copyOfRange(bytes, header.dataOffset(),
                            header.dataOffset() + header.dataLength()))).isEqualTo(pipeline);
                }
                assertThat(events).noneMatch(e -> e.type().equals("sink.down"));
            } finally {
                relay.close();
            }
        }
    }

    private static void awaitEvent(List<CallEvent> events, String type) throws InterruptedException {
        Await.value("a " + type + " event", Duration.ofSeconds(10),
                () -> events.stream().filter(e -> e.type().equals(type)).findFirst().orElse(null), () -> events);
    }
}
