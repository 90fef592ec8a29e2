package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.event.CallEvent;
import dev.relay.core.sink.Sink;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One call through the relay to the session-stream fake, on both wires: the session is created
 * with the API key, the audio the fake receives is exactly what the pipeline produced (and so
 * matches the sox reference), and at call end the session is ended, polled while 202, and its
 * result published as {@code session.result}.
 */
@Timeout(30)
class SessionStreamEndToEndTest {

    @Test
    void rawWireDeliversThePipelinesAudioAndPublishesTheResult() throws Exception {
        FakeSessionStream fake = FakeSessionStream.builder().apiKey(SessionStreamRig.API_KEY).pendingPolls(2).start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.create-body { language = "hi" }
                relay.sinks.session-stream.call-id-field = "external_id"
                """)) {
            rig.call("ss-raw-1");
            CallEvent result = rig.await("session.result", 10_000);
            MemorySink memory = rig.memory.await("ss-raw-1", 1000);

            FakeSession session = fake.awaitSession(0, 1000);
            assertThat(fake.sessions()).hasSize(1);
            assertThat(session.wire()).isEqualTo(FakeSession.Wire.RAW);
            assertThat(session.connections()).isEqualTo(1);
            assertThat(session.createBody()).contains("\"upload_type\":\"stream\"")
                    .contains("\"language\":\"hi\"").contains("\"external_id\":\"ss-raw-1\"");
            short[] received = session.samples();
            assertThat(received).hasSize(426 * 320).isEqualTo(memory.samples());
            assertThat(Speech.snrAgainstReference(received)).isGreaterThanOrEqualTo(36.0);

            assertThat(session.ended()).isTrue();
            assertThat(session.endCalls()).isEqualTo(1);
            assertThat(session.polls()).isEqualTo(3);
            assertThat(result.callId()).isEqualTo("ss-raw-1");
            assertThat(result.data()).containsEntry("sink", "session-stream")
                    .containsEntry("sessionId", session.id()).containsEntry("status", 200).containsEntry("polls", 3);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) result.data().get("result");
            assertThat(body).containsEntry("status", "completed").containsEntry("audio_bytes", 426 * 640);

            Sink sink = rig.sinks.get(0);
            assertThat(sink.framesIn()).isEqualTo(426);
            assertThat(sink.framesDropped()).isZero();
            assertThat(sink.bytesOut()).isEqualTo(426L * 640);
            assertThat(rig.all("sink.down")).isEmpty();
            assertThat(rig.all("session.error")).isEmpty();
            assertThat(fake.openUploads()).isZero();
        }
    }

    @Test
    void envelopeWireSendsStartMediaAndStopWithTheTimeline() throws Exception {
        FakeSessionStream fake = FakeSessionStream.builder().apiKey(SessionStreamRig.API_KEY).start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.wire = envelope
                relay.sinks.session-stream.chunk-ms = 100
                """)) {
            rig.call("ss-env-1");
            rig.await("session.result", 10_000);
            MemorySink memory = rig.memory.await("ss-env-1", 1000);

            FakeSession session = fake.awaitSession(0, 1000);
            assertThat(session.wire()).isEqualTo(FakeSession.Wire.ENVELOPE);
            assertThat(session.events()).containsExactly("start", "stop");
            assertThat(session.startMessage()).contains("\"sampleRate\":16000").contains("\"channels\":1")
                    .contains("\"encoding\":\"audio/x-l16\"").contains("\"callSid\":\"ss-env-1\"");
            assertThat(fake.badMessages()).isZero();
            // 426 frames in 100 ms chunks: 85 full chunks and a 20 ms tail, 100 ms apart on the timeline.
            List<Long> ts = session.timestampsMs();
            assertThat(ts).hasSize(86);
            for (int i = 0; i < ts.size(); i++) {
                assertThat(ts.get(i)).isEqualTo(i * 100L);
            }
            assertThat(session.samples()).isEqualTo(memory.samples());
            assertThat(Speech.snrAgainstReference(session.samples())).isGreaterThanOrEqualTo(36.0);
            assertThat(session.ended()).isTrue();
        }
    }

    @Test
    void aRelayShutdownMidCallStillEndsTheSession() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, "relay.shutdown.flush-timeout = 5s")) {
            try (WsClient ws = WsClient.connect(TestRelays.wsUrl(rig.relay, "/media"))) {
                ws.sendText("{\"event\":\"connected\",\"callId\":\"ss-shutdown\"}");
                ws.nextText(5000);
                List<byte[]> packets = Speech.packets();
                for (int i = 0; i < 200; i++) {
                    ws.sendBinary(packets.get(i));
                }
                FakeSession session = fake.awaitSession(0, 5000);
                Await.until("200 frames at the session", () -> session.frames() == 200);
                rig.relay.close();
                assertThat(ws.awaitCloseCode(5000)).isEqualTo(1001);
            }
            FakeSession session = fake.awaitSession(0, 100);
            assertThat(session.ended()).isTrue();
            assertThat(session.samples()).hasSize(200 * 320);
            assertThat(rig.all("session.result")).hasSize(1);
        }
    }

    @Test
    void theAudioListenerSeesEveryFrameWithItsStreamOffset() throws Exception {
        List<long[]> seen = new CopyOnWriteArrayList<>();
        FakeSessionStream fake = FakeSessionStream.builder().recordAudio(false)
                .listener((s, offset, ts, pcm, arrival) -> seen.add(new long[] {offset, pcm.readableBytes(), arrival}))
                .start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            long before = System.nanoTime();
            rig.call("ss-listen");
            rig.await("session.result", 10_000);
            assertThat(seen).hasSize(426);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i)[0]).isEqualTo(i * 320L);
                assertThat(seen.get(i)[1]).isEqualTo(640);
                assertThat(seen.get(i)[2]).isGreaterThan(before);
            }
            assertThat(fake.awaitSession(0, 100).audio()).as("not recorded").isEmpty();
            assertThat(fake.awaitSession(0, 100).audioBytes()).isEqualTo(426 * 640);
        }
    }
}
