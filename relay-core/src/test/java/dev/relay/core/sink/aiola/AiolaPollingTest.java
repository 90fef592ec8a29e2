package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code transport = polling | all}: the same sink over socket.io-client-java, against the npm
 * server with HTTP long-polling enabled.
 */
@Timeout(60)
class AiolaPollingTest extends AiolaRelayHarness {
    @TempDir
    Path tmp;

    @Test
    void pollingCarriesTheAudioTranscriptsAcksAndKeywords() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--transports", "polling")) {
            startRelay(server, "relay.sinks.aiola.transport = polling\n");
            // Backpressure needs the library's engine (package-private, reached by reflection).
            assertThat(JavaClients.tracksWrites()).isTrue();
            WsClient ws = register("poll1");
            JsonNode connect = server.await("connect", 10_000);
            assertThat(connect.path("query").path("transport").asText()).isEqualTo("polling");
            assertThat(connect.path("authorization").asText()).isEqualTo("Bearer " + AiolaServer.TOKEN);
            assertThat(connect.path("query").path("execution_id").asText()).isEqualTo("poll1");

            server.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", "long polled")), "ack",
                    true);
            awaitEvent("transcript", "poll1", e -> "long polled".equals(e.data().get("text")));
            assertThat(server.await("acked", 5000).path("err").isNull()).isTrue();
            server.command("emit-binary", "event", "transcript", "text", "{\"transcript\":\"bytes too\"}");
            awaitEvent("transcript", "poll1", e -> "bytes too".equals(e.data().get("text")));

            ControlHttp control = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
            assertThat(control.post("/v1/calls/poll1/keywords", "application/json",
                    "{\"a b\":\"AB\"}".getBytes()).statusCode())
                    .isEqualTo(202);
            assertThat(server.await("keywords", 5000).path("keywords").path("a b").asText()).isEqualTo("AB");

            sendPackets(ws, 0, PACKETS.size());
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio("poll1", tmp), pipelineBytes("poll1"));
            assertThat(server.all("upgrade")).isEmpty();
        }
    }

    @Test
    void allStartsWithPollingAndUpgradesToWebSocket() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--transports", "polling,websocket")) {
            startRelay(server, "relay.sinks.aiola.transport = all\n");
            WsClient ws = register("all1");
            assertThat(server.await("handshake", 10_000).path("transport").asText()).isEqualTo("polling");
            server.await("connect", 10_000);
            server.await("upgrade", 10_000);
            sendPackets(ws, 0, 200);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio("all1", tmp), pipelineBytes("all1"));
        }
    }

    @Test
    void serverSideDisconnectIsRetriedByTheSinkNotTheLibrary() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--transports", "polling")) {
            startRelay(server, "relay.sinks.aiola.transport = polling\n");
            WsClient ws = register("poll2");
            server.await("connect", 10_000);
            server.command("disconnect");
            CallEvent down = awaitEvent("sink.down", "poll2");
            assertThat((String) down.data().get("reason")).contains("server_disconnect");
            awaitEvent("sink.up", "poll2");
            server.await("connect", l -> l.path("n").asInt() == 2, 5_000);
            sendPackets(ws, 0, 100);
            hangUp(ws);
            server.await("disconnect", AiolaFaultsTest::graceful, 10_000);
            assertSameAudio(server.audio("poll2", tmp), pipelineBytes("poll2"));
        }
    }

    @Test
    void aRefusedTokenIsNotRetried() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0, "--transports", "polling", "--auth-failure", "403")) {
            startRelay(server.url(), "relay.sinks.aiola.transport = polling\n"
                    + "relay.sinks.aiola.token = \"" + AiolaServer.jwt(1) + "\"\n", null);
            WsClient ws = register("poll3");
            CallEvent down = awaitEvent("sink.down", "poll3");
            assertThat(down.data()).containsEntry("retrying", false);
            assertThat((String) down.data().get("reason")).contains("auth_refused").contains("HTTP 403");
            Await.during("no second handshake", Duration.ofMillis(500),
                    () -> server.stats().path("handshakes").asInt() == 1);
            hangUp(ws);
            awaitEvent("call.ended", "poll3");
        }
    }
}
