package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.Transport;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallAudio;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.StreamingSink;
import dev.relay.core.sink.sessionstream.SessionStreamSinkFactory;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.TestRelays;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session-stream sink against a misbehaving ingest service, through the relay: whatever the
 * fake does, the call carries on with all its audio (the memory sink on the same route), and the
 * sink reports what happened with events and counters.
 */
@Timeout(60)
class SessionStreamFaultsTest {

    private static void callCarriedOn(SessionStreamRig rig, String callId) throws Exception {
        CallEvent ended = rig.await("call.ended", e -> e.callId().equals(callId), 5000);
        assertThat(ended.data()).containsEntry("packetsIn", 426L).containsEntry("framesOut", 426L);
        MemorySink memory = rig.memory.await(callId, 1000);
        assertThat(memory.samples()).hasSize(426 * 320);
    }

    @Test
    void refusedConnectionsAreRetriedUntilTheServiceIsBack() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start();
        fake.refuseConnections(true);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-refused", 0, i -> {
                if (i == 100) {
                    try {
                        CallEvent down = rig.await("sink.down", 5000);
                        assertThat(down.data()).containsEntry("sink", "session-stream").containsEntry("retrying", true);
                        // Stimulus, not a synchronisation: the service stays away for several
                        // retries; what follows awaits the events.
                        Thread.sleep(300);
                        fake.refuseConnections(false);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            callCarriedOn(rig, "ss-refused");
            CallEvent error = rig.await("session.error", 1000);
            assertThat(error.data()).containsEntry("step", "create").containsEntry("status", 0)
                    .containsEntry("retrying", true);
            assertThat(rig.all("session.error")).as("one event per distinct failure, not per retry").hasSize(1);
            rig.await("sink.up", 5000);
            rig.await("session.result", 10_000);
            // Nothing was lost: the queue (10 s) held the audio while the service was away.
            FakeSession session = fake.awaitSession(0, 100);
            assertThat(session.samples()).isEqualTo(rig.memory.await("ss-refused", 100).samples());
            assertThat(rig.sinks.get(0).framesDropped()).isZero();
        }
    }

    @Test
    void aRefusedApiKeyFailsTheSinkForTheCallWithoutRetrying() throws Exception {
        FakeSessionStream fake = FakeSessionStream.builder().apiKey("another-key").start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-401");
            callCarriedOn(rig, "ss-401");
            CallEvent error = rig.await("session.error", 1000);
            assertThat(error.data()).containsEntry("step", "create").containsEntry("status", 401)
                    .containsEntry("retrying", false);
            assertThat((String) error.data().get("body")).contains("invalid api key");
            CallEvent down = rig.await("sink.down", 1000);
            assertThat(down.data()).containsEntry("retrying", false);
            Await.during("no retry after a 401", Duration.ofMillis(200), () -> rig.all("session.error").size() == 1);
            assertThat(fake.sessions()).isEmpty();
            Sink sink = rig.sinks.get(0);
            assertThat(sink.framesDropped()).isEqualTo(426);
            assertThat(rig.all("session.result")).isEmpty();
        }
    }

    @Test
    void anUploadRefusedWith401IsNotRetried() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().rejectUploads(401);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-up401");
            callCarriedOn(rig, "ss-up401");
            CallEvent error = rig.await("session.error", 1000);
            assertThat(error.data()).containsEntry("step", "connect").containsEntry("status", 401)
                    .containsEntry("retrying", false);
            assertThat(error.data().get("sessionId")).isEqualTo(fake.awaitSession(0, 100).id());
            // The session was created, so it is still ended and its result published.
            rig.await("session.result", 10_000);
            assertThat(fake.awaitSession(0, 100).connections()).isZero();
        }
    }

    @Test
    void aSocketThatDiesMidCallIsReopenedAndTheGapIsMarked() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().dieAfterFrames(100);
        // A small queue and a real outage (backoff floor 250 ms) while frames keep coming every 2 ms:
        // even a test thread paced at 50 ms a packet by a busy machine overflows the queue.
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.wire = envelope
                relay.sinks.session-stream.queue-frames = 4
                relay.sinks.session-stream.reconnect.initial = 1s
                relay.sinks.session-stream.reconnect.max = 1s
                """)) {
            rig.call("ss-dies", 2, i -> { });
            callCarriedOn(rig, "ss-dies");
            rig.await("session.result", 10_000);
            FakeSession session = fake.awaitSession(0, 100);
            assertThat(fake.sessions()).as("same session, same upload URL").hasSize(1);
            assertThat(session.connections()).isEqualTo(2);
            assertThat(session.events()).containsExactly("start", "start", "stop");

            CallEvent down = rig.await("sink.down", 100);
            assertThat((String) down.data().get("reason")).isNotBlank();
            CallEvent up = rig.await("sink.up", 100);
            assertThat(up.data()).containsEntry("reconnects", 1L);
            long dropped = (Long) up.data().get("framesDropped");
            assertThat(dropped).isPositive();

            StreamingSink sink = (StreamingSink) rig.sinks.get(0);
            assertThat(sink.reconnects()).isEqualTo(1);
            // The outage's drops are a gap in what was sent (the sink may drop more while up if its
            // loop falls behind, as under the paranoid leak detector).
            assertThat(sink.gapSamples()).isGreaterThanOrEqualTo(dropped * 320);
            // The timeline jumps where audio was dropped: timestamps are the call's, not a count.
            // (Frames written into the dying socket and not replayed are lost too, so the jumps can
            // only be larger.) What the dead socket left unconfirmed may come twice: the same
            // timestamps again, counted once here.
            List<Long> ts = new ArrayList<>(new TreeSet<>(session.timestampsMs()));
            long jumps = 0;
            for (int i = 1; i < ts.size(); i++) {
                jumps += ts.get(i) - ts.get(i - 1) - 20;
            }
            assertThat(jumps).isGreaterThanOrEqualTo(sink.gapSamples() / 16);
            assertThat(session.timestampsMs().size() - ts.size()).as("timestamps seen twice")
                    .isLessThanOrEqualTo((int) sink.framesReplayed());
        }
    }

    /**
     * On the raw wire nothing places audio in time, so what a dying socket had not confirmed is not
     * written again: it is declared, and the declaration covers every frame the service missed.
     */
    @Test
    void aRawSocketThatDiesDeclaresWhatItHadNotConfirmed() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().dieAfterFrames(100);
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.reconnect.initial = 100ms
                """)) {
            rig.call("ss-raw-dies", 2, i -> { });
            callCarriedOn(rig, "ss-raw-dies");
            rig.await("session.result", 10_000);
            FakeSession session = fake.awaitSession(0, 100);
            assertThat(session.connections()).isEqualTo(2);
            StreamingSink sink = (StreamingSink) rig.sinks.get(0);
            long missed = 426 - session.frames() - sink.framesDropped();
            assertThat(sink.framesReplayed()).isZero();
            assertThat(sink.framesUnconfirmed()).as("declared, %d missed", missed)
                    .isGreaterThanOrEqualTo(Math.max(1, missed));
            assertThat(session.frames() + sink.framesDropped() + sink.framesUnconfirmed())
                    .as("every frame arrived or was declared").isGreaterThanOrEqualTo(426);
        }
    }

    @Test
    void aStalledServiceCostsOnlyTheQueueAndTheCallIsUnaffected() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().stall(true);
        // Without delivery confirmation the stalled socket stays open however long the call takes
        // (with it, the stall ends in a reconnect: aServiceThatStopsReadingIsReconnected…).
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.queue-frames = 20
                relay.sinks.session-stream.flush-timeout = 200ms
                relay.sinks.session-stream.confirm-interval = 0
                """)) {
            // The call never waits for the sink: every packet in and out of the pipeline while the
            // service reads nothing (callCarriedOn), however long the machine took.
            rig.call("ss-stall");
            callCarriedOn(rig, "ss-stall");
            Sink sink = rig.sinks.get(0);
            Await.until("the queue drained", () -> sink.queueDepth() == 0);
            // The socket stayed open but unread; ending the session over REST still works.
            rig.await("session.result", 10_000);
            assertThat(fake.awaitSession(0, 100).connections()).isEqualTo(1);
            assertThat(sink.framesIn()).isEqualTo(426);
        }
    }

    /**
     * A service that stops reading (the soak's stall) is noticed by its missing pong and
     * reconnected; the envelope audio written into the dead socket is written again, so the
     * session's timeline has no hole (some timestamps may come twice, never a gap).
     */
    @Test
    void aServiceThatStopsReadingIsReconnectedAndItsTimelineHasNoGap() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.sinks.session-stream.wire = envelope
                relay.sinks.session-stream.confirm-interval = 50ms
                relay.sinks.session-stream.pong-timeout = 300ms
                relay.sinks.session-stream.flush-timeout = 20s
                """)) {
            AtomicBoolean stalled = new AtomicBoolean();
            rig.call("ss-stops-reading", 5, i -> {
                if (i == 50) {
                    stalled.set(true);
                    fake.stall(true);
                } else if (stalled.get() && reconnected(fake)) {
                    stalled.set(false);
                    fake.stall(false);
                }
            });
            // However far the call got before the relay noticed: the call's end waits (flush-timeout).
            Await.until("the relay reconnected", () -> reconnected(fake));
            fake.stall(false);
            callCarriedOn(rig, "ss-stops-reading");
            rig.await("session.result", 20_000);

            StreamingSink sink = (StreamingSink) rig.sinks.get(0);
            CallEvent down = rig.await("sink.down", 100);
            assertThat((String) down.data().get("reason")).contains("no pong within 300 ms");
            assertThat(sink.reconnects()).isPositive();
            assertThat(sink.framesReplayed()).isPositive();
            assertThat(sink.framesUnconfirmed()).isZero();
            assertThat(sink.framesDropped()).isZero();

            FakeSession session = fake.awaitSession(0, 100);
            List<Long> all = session.timestampsMs();
            List<Long> distinct = new ArrayList<>(new TreeSet<>(all));
            assertThat(distinct).hasSize(426);
            assertThat(distinct.get(425) - distinct.get(0)).as("no gap").isEqualTo(425 * 20);
            assertThat(all.size() - distinct.size()).as("timestamps seen twice")
                    .isLessThanOrEqualTo((int) sink.framesReplayed());
        }
    }

    private static boolean reconnected(FakeSessionStream fake) {
        List<FakeSession> sessions = fake.sessions();
        return !sessions.isEmpty() && sessions.get(0).connections() >= 2;
    }

    /**
     * Driven directly (the relay's clip is too short to fill the kernel's socket buffers): minutes
     * of audio pushed at a service that never reads leave at most the queue in memory, the newest
     * audio, and every frame accounted for as sent, dropped or queued.
     */
    @Test
    void aStalledServiceKeepsOnlyTheNewestAudioInBoundedMemory() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().stall(true);
        EventLoopGroup loops = Transport.group(1);
        EventBus bus = new EventBus();
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        bus.subscribe(events::add);
        try {
            RelayConfig config = RelayConfig.from(TestRelays.config("""
                    relay.sinks.session-stream {
                      base-url = "%s"
                      queue-frames = 20
                      flush-timeout = 200ms
                      connect-timeout = 500ms
                      result-poll-interval = 50ms
                    }
                    """.formatted(fake.baseUrl())));
            SessionStreamSinkFactory factory = SessionStreamSinkFactory.from(config);
            CallContext call = new CallContext("ss-stall-direct", "default", "", System.currentTimeMillis(), bus,
                    loops.next(), CallAudio.NONE);
            StreamingSink sink = (StreamingSink) factory.create(call);
            sink.open(call);
            Await.until("one open upload", () -> fake.openUploads() == 1);

            AudioSpan frame = new AudioSpan();
            int frames = 30_000; // 10 minutes of audio, 19 MB
            // The first frame goes alone: once it is sent, the sink's side of the link is up too.
            frame.set(0, 320, System.nanoTime(), false);
            sink.onAudio(frame);
            Await.until("the link up (a first frame sent)", () -> sink.framesSent() == 1);
            long directBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
            int maxDepth = 0;
            // Paranoid leak tracking records a stack trace for every sample written into a chunk:
            // sample instead for the bulk of the push (NoLeaksExtension still checks the class).
            ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
            try {
                for (int i = 1; i < frames; i++) {
                    Arrays.fill(frame.pcm16k(), 0, 320, (short) i);
                    frame.set(i * 320L, 320, System.nanoTime(), false);
                    sink.onAudio(frame);
                    maxDepth = Math.max(maxDepth, sink.queueDepth());
                    if ((i & 1023) == 0) {
                        // Stimulus (pacing), not a synchronisation: let the loop write until the
                        // socket pushes back.
                        Thread.sleep(1);
                    }
                }
            } finally {
                ResourceLeakDetector.setLevel(level);
            }
            long directGrowth = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - directBefore;
            System.out.printf("stalled push: %d frames, %d sent into the socket, %d dropped, max queue %d,"
                    + " direct memory +%d KiB%n", frames, sink.framesSent(), sink.framesDropped(), maxDepth,
                    directGrowth >> 10);

            // The queue, plus the one chunk the loop has taken and is writing.
            assertThat(maxDepth).isLessThanOrEqualTo(20 + 1);
            assertThat(sink.framesDropped()).isGreaterThan(frames / 2);
            assertThat(sink.framesSent() + sink.framesDropped() + sink.queueDepth()).isEqualTo(frames);
            assertThat(directGrowth).as("direct memory growth").isLessThan(16L << 20);
            assertThat(fake.awaitSession(0, 100).frames()).isZero();

            sink.close("call ended");
            Await.until("the latency measured and the queue drained",
                    () -> factory.latency() != null && sink.queueDepth() == 0);
            Await.until("a session.result event", Duration.ofSeconds(10),
                    () -> events.stream().anyMatch(e -> e.type().equals("session.result")));
            factory.shutdown(5000);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            fake.close();
        }
    }

    @Test
    void garbageFromCreateIsAnErrorAndRetried() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().garbage(FakeSessionStream.Garbage.CREATE);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-garbage", 0, i -> {
                if (i == 50) {
                    try {
                        CallEvent error = rig.await("session.error", 5000);
                        assertThat(error.data()).containsEntry("step", "create").containsEntry("status", 200)
                                .containsEntry("retrying", true);
                        assertThat((String) error.data().get("error")).contains("not a JSON object");
                        assertThat((String) error.data().get("body")).contains("nginx");
                        fake.garbage(FakeSessionStream.Garbage.NONE);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            callCarriedOn(rig, "ss-garbage");
            rig.await("sink.up", 5000);
            rig.await("session.result", 10_000);
            assertThat(fake.sessions()).hasSize(1);
            assertThat(fake.awaitSession(0, 100).samples()).hasSize(426 * 320);
        }
    }

    @Test
    void garbageInsteadOfAnUpgradeIsAnErrorAndRetried() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().garbage(FakeSessionStream.Garbage.UPLOAD);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-garbage-up", 0, i -> {
                if (i == 50) {
                    try {
                        CallEvent error = rig.await("session.error", 5000);
                        assertThat(error.data()).containsEntry("step", "connect").containsEntry("status", 0)
                                .containsEntry("retrying", true);
                        fake.garbage(FakeSessionStream.Garbage.NONE);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            });
            callCarriedOn(rig, "ss-garbage-up");
            rig.await("session.result", 10_000);
            assertThat(fake.awaitSession(0, 100).samples()).hasSize(426 * 320);
        }
    }

    @Test
    void aResultThatIsNotJsonIsPublishedAsAnExcerpt() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().garbage(FakeSessionStream.Garbage.RESULT);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-garbage-result");
            CallEvent result = rig.await("session.result", 10_000);
            assertThat(result.data()).containsEntry("status", 200).containsEntry("body", "result: <<not json>>")
                    .doesNotContainKey("result");
        }
    }

    @Test
    void endAnswering500Then202StillEndsInAResult() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().endStatuses(500, 202, 200);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "")) {
            rig.call("ss-end500");
            CallEvent result = rig.await("session.result", 10_000);
            FakeSession session = fake.awaitSession(0, 100);
            assertThat(session.endCalls()).isEqualTo(2);
            assertThat(session.ended()).isTrue();
            assertThat(result.data()).containsEntry("sessionId", session.id()).containsEntry("status", 200);
            assertThat(rig.all("session.error")).isEmpty();
        }
    }

    @Test
    void endFailingEveryTimeIsAnErrorAfterTheRetries() throws Exception {
        FakeSessionStream fake = FakeSessionStream.start().endStatuses(500);
        try (SessionStreamRig rig = new SessionStreamRig(fake, "relay.sinks.session-stream.end-retries = 2")) {
            rig.call("ss-end-dead");
            CallEvent error = rig.await("session.error", 10_000);
            assertThat(error.data()).containsEntry("step", "end").containsEntry("status", 500)
                    .containsEntry("retrying", false);
            assertThat((String) error.data().get("body")).contains("fake fault");
            assertThat(fake.awaitSession(0, 100).endCalls()).isEqualTo(3);
            assertThat(fake.awaitSession(0, 100).polls()).isZero();
            assertThat(rig.all("session.result")).isEmpty();
        }
    }

    @Test
    void aResultThatNeverComesIsAnErrorAtTheDeadline() throws Exception {
        FakeSessionStream fake = FakeSessionStream.builder().pendingPolls(1_000_000).start();
        try (SessionStreamRig rig = new SessionStreamRig(fake, "relay.sinks.session-stream.result-deadline = 400ms")) {
            rig.call("ss-slow-result");
            CallEvent error = rig.await("session.error", 10_000);
            assertThat(error.data()).containsEntry("step", "result").containsEntry("status", 202);
            assertThat((String) error.data().get("error")).contains("no final result within 400 ms");
            // ~1 poll per 50 ms for 400 ms: a handful, not a hot loop.
            assertThat(fake.awaitSession(0, 100).polls()).isBetween(3, 12);
        }
    }

    @Test
    void everySinkDownAtOnceAndTheCallCarriesOn(@TempDir Path tmp) throws Exception {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "a file where the recordings directory should be");
        FakeSessionStream fake = FakeSessionStream.start();
        fake.refuseConnections(true);
        try (SessionStreamRig rig = new SessionStreamRig(fake, """
                relay.routes.default = [session-stream, recorder, memory]
                relay.sinks.recorder.dir = "%s"
                """.formatted(notADir.toString().replace("\\", "/")))) {
            rig.call("ss-all-down");
            callCarriedOn(rig, "ss-all-down");
            rig.await("sink.down", e -> "session-stream".equals(e.data().get("sink")), 1000);
            rig.await("sink.down", e -> "recorder".equals(e.data().get("sink")), 1000);
            Sink sink = rig.sinks.get(0);
            // Nothing reached the service; the sink let go of the audio at call end (flush timeout).
            Await.until("426 frames dropped and the queue drained",
                    () -> sink.framesDropped() == 426 && sink.queueDepth() == 0);
            assertThat(rig.all("session.result")).isEmpty();
        }
    }
}
