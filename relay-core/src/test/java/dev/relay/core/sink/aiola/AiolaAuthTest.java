package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.WsClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API key exchange against the test server playing aiOla's auth API: a session per call,
 * deleted at the end; the concurrency limit as its own error; a refused key; renewal before expiry
 * and after a revocation.
 */
@Timeout(60)
class AiolaAuthTest extends AiolaRelayHarness {
    private static final String KEY = "test-api-key";

    @TempDir
    Path tmp;

    private void startWithKey(AiolaServer server, String extra) throws Exception {
        startRelay(server.url(), "relay.sinks.aiola.api-key = \"" + KEY + "\"\n"
                + "relay.sinks.aiola.auth-url = \"" + server.url() + "/\"\n" + extra, null);
    }

    @Test
    void apiKeyBuysASessionPerCallThatIsDeletedAtTheEnd() throws Exception {
        try (AiolaServer server = AiolaServer.start("--api-key", KEY)) {
            startWithKey(server, "relay.sinks.aiola.workflow-id = \"wf-42\"\n");
            WsClient ws = register("keyed1");
            JsonNode created = server.await("session-created", 10_000);
            assertThat(created.path("workflowId").asText()).isEqualTo("wf-42");
            assertThat(created.path("contentType").asText()).isEqualTo("application/json");
            JsonNode connect = server.await("connect", 10_000);
            String jwt = connect.path("query").path("x-aiola-api-token").asText();
            assertThat(jwt).isNotEmpty().isNotEqualTo(AiolaServer.TOKEN);
            assertThat(connect.path("authorization").asText()).isEqualTo("Bearer " + jwt);
            assertThat(connect.path("query").path("flow_id").asText())
                    .isEqualTo("2c78fcf1-9265-408f-b8c3-d9d7e7ebc1bc");
            sendPackets(ws, 0, 100);
            hangUp(ws);
            JsonNode deleted = server.await("session-deleted", 10_000);
            assertThat(deleted.path("sessionId").asText()).isEqualTo(created.path("sessionId").asText());
            Await.until("DELETE answered", () -> factory.deletesInFlight() == 0);
            assertThat(server.stats().path("sessions").asInt()).isZero();
        }
    }

    @Test
    void concurrencyLimitIsADistinctSttErrorAndIsRetriedWithBackoff() throws Exception {
        try (AiolaServer server = AiolaServer.start("--api-key", KEY, "--max-sessions", "0")) {
            startWithKey(server, "");
            WsClient ws = register("busy1");
            CallEvent error = awaitEvent("stt.error", "busy1");
            assertThat(error.data()).containsEntry("sink", "aiola").containsEntry("code", "MAX_CONCURRENCY_REACHED")
                    .containsEntry("status", 409);
            assertThat(awaitEvent("sink.down", "busy1").data()).containsEntry("retrying", true);
            server.await("session-refused", l -> server.all("session-refused").size() >= 3, 5_000);
            hangUp(ws);
            awaitEvent("call.ended", "busy1");
            assertThat(events("stt.error", "busy1")).hasSize(1);
            assertThat(server.all("connect")).isEmpty();
        }
    }

    @Test
    void refusedApiKeyEndsTheStreamWithoutRetrying() throws Exception {
        try (AiolaServer server = AiolaServer.start("--api-key", "another-key")) {
            startWithKey(server, "");
            WsClient ws = register("badkey1");
            CallEvent down = awaitEvent("sink.down", "badkey1");
            assertThat(down.data()).containsEntry("retrying", false);
            assertThat((String) down.data().get("reason")).contains("refused (HTTP 401");
            Await.during("no second token request", Duration.ofMillis(500),
                    () -> server.all("token-refused").size() <= 1);
            hangUp(ws);
            awaitEvent("call.ended", "badkey1");
            assertThat(server.all("token-refused")).hasSize(1);
        }
    }

    @Test
    void aSessionAboutToExpireIsReplacedBeforeTheNextConnect() throws Exception {
        // Every session lives 60 s and is renewed when it has less than 120 s left: so at each connect.
        try (AiolaServer server = AiolaServer.start("--api-key", KEY, "--jwt-ttl-s", "60")) {
            startWithKey(server, "relay.sinks.aiola.token-refresh = 120s\n");
            WsClient ws = register("renew1");
            JsonNode first = server.await("session-created", 10_000);
            server.await("connect", 10_000);
            server.command("disconnect");
            JsonNode deleted = server.await("session-deleted", 10_000);
            assertThat(deleted.path("sessionId").asText()).isEqualTo(first.path("sessionId").asText());
            JsonNode second = server.await("session-created", l -> !l.path("sessionId").equals(first.path("sessionId")),
                    10_000);
            JsonNode reconnect = server.await("connect", l -> l.path("n").asInt() == 2, 10_000);
            assertThat(awaitEvent("sink.up", "renew1").data()).containsEntry("reconnects", 1L);
            assertThat(reconnect.path("authorization").asText()).isNotEqualTo(server.all("connect").get(0)
                    .path("authorization").asText());
            hangUp(ws);
            server.await("session-deleted", l -> l.path("sessionId").equals(second.path("sessionId")), 10_000);
        }
    }

    @Test
    void aRelayShutdownMidCallFlushesTheAudioAndDeletesTheSessionBeforeItReturns() throws Exception {
        try (AiolaServer server = AiolaServer.start("--api-key", KEY)) {
            startWithKey(server, "");
            WsClient ws = register("shutdown1");
            server.await("connect", 10_000);
            sendPackets(ws, 0, 200);
            awaitFrames("shutdown1", 200);
            byte[] produced = pipelineBytes("shutdown1");
            relay.close();
            assertThat(server.await("session-deleted", 1_000)).isNotNull();
            server.await("disconnect", 5_000);
            assertSameAudio(server.audio("shutdown1", tmp), produced);
            ws.close();
        }
    }

    @Test
    void aRevokedSessionIsRenewedOnceInsteadOfEndingTheStream() throws Exception {
        try (AiolaServer server = AiolaServer.start("--api-key", KEY)) {
            startWithKey(server, "");
            WsClient ws = register("revoked1");
            server.await("connect", 10_000);
            server.command("revoke");
            // The old JWT is refused (401), a new session is bought, and the stream carries on.
            server.await("upgrade", l -> !l.path("authorized").asBoolean(), 10_000);
            server.await("connect", l -> l.path("n").asInt() == 2, 10_000);
            List<CallEvent> downs = events("sink.down", "revoked1");
            assertThat(downs).allSatisfy(d -> assertThat(d.data()).containsEntry("retrying", true));
            awaitEvent("sink.up", "revoked1");
            assertThat(server.all("session-created")).hasSize(2);
            hangUp(ws);
            server.await("session-deleted", 10_000);
        }
    }
}
