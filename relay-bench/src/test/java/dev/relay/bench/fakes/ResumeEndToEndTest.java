package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.testing.TestData;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call taken over by a new socket ({@code duplicate-call-id = resume}) through the real sinks:
 * the session-stream fake sees one session on one connection, the recorder writes one file, and
 * both hold the old socket's speech, silence as long as the gap the relay reported in
 * {@code call.resumed}, then the new socket's speech. Both sockets are real npm {@code ws} peers.
 */
@Timeout(90)
class ResumeEndToEndTest {
    private static final int SPEECH_16K = 426 * 320;

    @TempDir
    Path tmp;

    private static CompletableFuture<List<JsonNode>> peer(String url, String callId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", url, "--call-id", callId,
                "--rtp", TestData.path(Speech.RTP_FILE).toString(), "--hold-ms", "60000"));
        args.addAll(List.of(extra));
        return NodePeer.start(70_000, "alohaa-client.js", args);
    }

    @Test
    void theSessionAndTheRecordingCarryOnAcrossTheTakeover() throws Exception {
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        MemorySinkFactory memory = new MemorySinkFactory();
        try (FakeSessionStream fake = FakeSessionStream.builder().apiKey("k").recordAudio(true).start()) {
            RelayConfig config = RelayConfig.from(TestRelays.config("""
                    relay.telephony.duplicate-call-id = resume
                    relay.dsp.io-threads = 2
                    relay.routes.default = [session-stream, recorder, memory]
                    relay.sinks.session-stream { base-url = "%s", api-key = "k", result-poll-interval = 50ms }
                    relay.sinks.recorder.dir = "%s"
                    """.formatted(fake.baseUrl(), tmp.resolve("rec"))));
            RelayServer relay = TestRelays.startWithStandardSinks(config, memory);
            try {
                relay.events().subscribe(events::add);
                String url = TestRelays.wsUrl(relay, "/media");
                CompletableFuture<List<JsonNode>> old = peer(url, "back-1");
                MemorySink pipeline = memory.await("back-1", 20_000);
                Await.until("the old socket's speech", () -> pipeline.samples().length == SPEECH_16K);

                CompletableFuture<List<JsonNode>> fresh = peer(url, "back-1", "--close-on-text", "\"event\":\"media\"");
                assertThat(NodePeer.first(old.get(60, TimeUnit.SECONDS), "close").path("code").asInt())
                        .isEqualTo(1008);
                CallEvent resumed = Await.value("call.resumed", Await.DEFAULT_TIMEOUT,
                        () -> first(events, "call.resumed"), () -> events);
                long gapMs = ((Number) resumed.data().get("gapMs")).longValue();
                Await.until("the new socket's speech", () -> pipeline.samples().length >= 2 * SPEECH_16K + gapMs * 16);
                relay.calls().get("back-1").playAudio(new byte[800]);
                assertThat(NodePeer.first(fresh.get(60, TimeUnit.SECONDS), "close").path("code").asInt())
                        .isEqualTo(1000);
                Await.value("session.result", Await.DEFAULT_TIMEOUT, () -> first(events, "session.result"),
                        () -> events);
                relay.close(); // the recorder's header is final once its writer has drained

                short[] samples = pipeline.samples();
                int silence = samples.length - 2 * SPEECH_16K;
                assertThat(silence).isBetween((int) gapMs * 16, (int) gapMs * 16 + 319);
                assertThat(fake.sessions()).hasSize(1);
                FakeSession session = fake.awaitSession(0, 1000);
                assertThat(session.connections()).isEqualTo(1);
                assertThat(session.samples()).isEqualTo(samples);
                assertThat(recording()).isEqualTo(samples);
                assertThat(events.stream().filter(e -> e.type().equals("call.started"))).hasSize(1);
                assertThat(events.stream().filter(e -> e.type().equals("call.ended"))).hasSize(1);
            } finally {
                relay.close();
            }
        }
    }

    private short[] recording() throws Exception {
        try (Stream<Path> files = Files.list(tmp.resolve("rec"))) {
            List<Path> wavs = files.toList();
            assertThat(wavs).as("one recording for the call").hasSize(1);
            byte[] bytes = Files.readAllBytes(wavs.get(0));
            WavHeader header = WavReader.read(bytes);
            assertThat(header.truncated()).isFalse();
            short[] pcm = new short[header.dataLength() / 2];
            ByteBuffer.wrap(bytes, header.dataOffset(), header.dataLength()).order(ByteOrder.LITTLE_ENDIAN)
                    .asShortBuffer().get(pcm);
            return pcm;
        }
    }

    private static CallEvent first(List<CallEvent> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).findFirst().orElse(null);
    }
}
