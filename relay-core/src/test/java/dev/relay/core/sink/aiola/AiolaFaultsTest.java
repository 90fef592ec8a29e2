package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * aiOla misbehaving, against the real npm socket.io server: it disconnects the client, stops
 * pinging, sends garbage, restarts, refuses the token. Each time the call carries on, the sink
 * reports {@code sink.down} / {@code sink.up}, and what was queued meanwhile is replayed.
 */
@Timeout(60)
class AiolaFaultsTest extends AiolaRelayHarness {
    @TempDir
    Path tmp;

    @Test
    void serverSideDisconnectReconnectsAndReplaysWhatWasQueuedMeanwhile() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            startRelay(server, "");
            String callId = "disconnect1";
            WsClient ws = register(callId);
            server.await("connect", 10_000);
            sendPackets(ws, 0, 200);
            server.await("audio", l -> l.path("connBytes").asInt() == 200 * FRAME_BYTES, 10_000);

            // New namespace connects wait, so the next audio can only queue up in the sink.
            server.command("hold");
            server.await("holding", 5000);
            server.command("disconnect");
            CallEvent down = awaitEvent("sink.down", callId);
            assertThat(down.data()).containsEntry("sink", "aiola").containsEntry("retrying", true);
            assertThat((String) down.data().get("reason")).contains("server_disconnect");
            sendPackets(ws, 200, 300);
            awaitFrames(callId, 300);
            server.await("upgrade", l -> l.path("n").asInt() == 2, 10_000);
            server.command("release");

            CallEvent up = awaitEvent("sink.up", callId);
            assertThat(up.data()).containsEntry("reconnects", 1L).containsEntry("framesDropped", 0L);
            sendPackets(ws, 300, PACKETS.size());
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            // Nothing lost, nothing twice: the replayed 100 frames sit where they belong.
            assertSameAudio(server.audio(callId, tmp), pipelineBytes(callId));
            assertThat(server.all("connect")).hasSize(2);
        }
    }

    @Test
    void queueOverflowWhileDownDropsTheOldestAndCountsTheGap() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            // 20 frames = 4 chunks of 100 ms while aiOla is away.
            startRelay(server, "relay.sinks.aiola.queue-frames = 20\n");
            String callId = "overflow1";
            WsClient ws = register(callId);
            server.await("connect", 10_000);
            // Two chunks at a time: a burst larger than the queue would be cut even while connected.
            for (int i = 0; i < 100; i += 10) {
                int sent = i + 10;
                sendPackets(ws, i, sent);
                server.await("audio", l -> l.path("connBytes").asInt() == sent * FRAME_BYTES, 10_000);
            }
            server.command("hold");
            server.await("holding", 5000);
            server.command("disconnect");
            awaitEvent("sink.down", callId);
            sendPackets(ws, 100, 300);
            awaitFrames(callId, 300);
            server.command("release");
            CallEvent up = awaitEvent("sink.up", callId);
            assertThat(up.data()).containsEntry("framesDropped", 180L);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            // The newest 20 frames of the outage survived, right after the first 100.
            byte[] produced = pipelineBytes(callId);
            byte[] expected = concat(Arrays.copyOfRange(produced, 0, 100 * FRAME_BYTES),
                    Arrays.copyOfRange(produced, 280 * FRAME_BYTES, 300 * FRAME_BYTES));
            assertSameAudio(server.audio(callId, tmp), expected);
            assertThat(memory.await(callId, 1000).framesIn()).isEqualTo(300);
        }
    }

    @Test
    void pingTimeoutIsDetectedAndTheLinkComesBack() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--ping-interval", "300", "--ping-timeout", "200")) {
            startRelay(server, "");
            String callId = "pings1";
            WsClient ws = register(callId);
            server.await("connect", 10_000);
            server.command("mute");
            CallEvent down = awaitEvent("sink.down", callId);
            // The reason names the configured interval + timeout: how soon it was noticed is not asserted.
            assertThat((String) down.data().get("reason")).contains("ping_timeout").contains("500 ms");
            awaitEvent("sink.up", callId);
            server.await("connect", l -> l.path("n").asInt() == 2, 5_000);
            sendPackets(ws, 0, 50);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio(callId, tmp), pipelineBytes(callId));
        }
    }

    @Test
    void aResetConnectionDeclaresWhatItHadNotConfirmed() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            // Pings every 100 ms; the pong timeout is out of the way: the reset ends the connection.
            startRelay(server, "relay.sinks.aiola.confirm-interval = 100ms\nrelay.sinks.aiola.pong-timeout = 60s\n");
            String callId = "reset1";
            WsClient ws = register(callId);
            server.await("connect", 10_000);
            sendPackets(ws, 0, 100);
            server.await("audio", l -> l.path("connBytes").asInt() == 100 * FRAME_BYTES, 10_000);
            // aiOla stops reading, the relay writes 100 more frames into the socket, then aiOla dies.
            server.command("stall");
            server.await("stalled", 5000);
            sendPackets(ws, 100, 200);
            awaitFrames(callId, 200);
            ControlHttp http = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
            Await.until("200 frames written into the socket",
                    () -> metric(http, "relay_sink_bytes_total") == 200.0 * FRAME_BYTES);
            server.command("reset");
            awaitEvent("sink.down", callId);
            awaitEvent("sink.up", callId);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);

            long received = server.audio(callId, tmp).length / FRAME_BYTES;
            long lost = 200 - received;
            double unconfirmed = metric(http, "relay_sink_frames_unconfirmed_total");
            assertThat(lost).as("frames the reset cut").isPositive();
            // Every frame the reset cut was declared; at most what was written unconfirmed.
            assertThat(unconfirmed).isGreaterThanOrEqualTo(lost).isLessThanOrEqualTo(200);
            assertThat(metric(http, "relay_frames_dropped_total")).isZero();
        }
    }

    private static double metric(ControlHttp http, String name) {
        try {
            return PromText.parse(http.get("/metrics").body()).value(name, "sink", "aiola");
        } catch (Exception e) {
            throw new IllegalStateException("scraping " + name, e);
        }
    }

    @Test
    void garbageFromTheServerIsAProtocolErrorAndTheLinkRecovers() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            startRelay(server, "");
            String callId = "garbage1";
            WsClient ws = register(callId);
            server.await("connect", 10_000);
            server.command("garbage", "text", "hello, I am not Engine.IO");
            CallEvent down = awaitEvent("sink.down", callId);
            assertThat((String) down.data().get("reason")).contains("protocol").contains("not an Engine.IO packet");
            awaitEvent("sink.up", callId);
            server.command("garbage", "text", "42/events,[\"transcript\",{\"transcript\":");
            awaitEvent("sink.down", callId, e -> ((String) e.data().get("reason")).contains("not JSON"));
            awaitEvent("sink.up", callId, e -> Long.valueOf(2).equals(e.data().get("reconnects")));
            sendPackets(ws, 0, PACKETS.size());
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio(callId, tmp), pipelineBytes(callId));
        }
    }

    @Test
    void serverRestartIsSurvivedAndTheOutageReplayed() throws Exception {
        AiolaServer first = AiolaServer.withToken(0);
        int port = first.port;
        String callId = "restart1";
        try {
            startRelay(first, "");
            WsClient ws = register(callId);
            first.await("connect", 10_000);
            sendPackets(ws, 0, 100);
            first.await("audio", l -> l.path("connBytes").asInt() == 100 * FRAME_BYTES, 10_000);
            first.close();
            awaitEvent("sink.down", callId);
            sendPackets(ws, 100, 150);
            awaitFrames(callId, 150);
            try (AiolaServer second = AiolaServer.withToken(port)) {
                awaitEvent("sink.up", callId);
                sendPackets(ws, 150, PACKETS.size());
                hangUp(ws);
                second.await("disconnect", AiolaFaultsTest::graceful, 10_000);
                byte[] produced = pipelineBytes(callId);
                assertSameAudio(second.audio(callId, tmp), Arrays.copyOfRange(produced, 100 * FRAME_BYTES,
                        produced.length));
            }
        } finally {
            first.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"401", "403", "connect-error"})
    void refusedTokenStopsTheStreamWithoutARetryLoop(String refusal) throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--auth-failure", refusal)) {
            startRelay(server.url(), "relay.sinks.aiola.token = \"" + AiolaServer.jwt(4_102_444_800L - 1) + "\"\n",
                    null);
            String callId = "refused-" + refusal;
            WsClient ws = register(callId);
            CallEvent down = awaitEvent("sink.down", callId);
            assertThat(down.data()).containsEntry("retrying", false);
            assertThat((String) down.data().get("reason")).contains("auth_refused")
                    .contains(refusal.equals("connect-error") ? "unauthorized" : "HTTP " + refusal);
            // Reconnects here are 50-200 ms apart: a retry loop would show within this.
            sendPackets(ws, 0, PACKETS.size());
            Await.during("one upgrade, no connection", Duration.ofMillis(700), () -> {
                JsonNode stats = server.stats();
                return stats.path("upgrades").asInt() == 1 && stats.path("connections").asInt() == 0;
            });
            hangUp(ws);
            // The call itself never noticed.
            CallEvent ended = awaitEvent("call.ended", callId);
            assertThat(ended.data().get("packetsIn")).isEqualTo((long) PACKETS.size());
            assertThat(memory.await(callId, 1000).framesIn()).isEqualTo(PACKETS.size());
            assertThat(events("sink.up", callId)).isEmpty();
        }
    }

    /** The disconnect of a client that left at the call's end (41, then close). */
    static boolean graceful(JsonNode disconnect) {
        return disconnect.path("reason").asText().equals("client namespace disconnect");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
