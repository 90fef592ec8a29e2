package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.relay.core.net.Json;
import dev.relay.core.socketio.SocketIoEvent;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small pieces: execution ids, event mapping, the exchange's answers, JWT expiry. */
class AiolaUnitsTest {
    private static final ObjectMapper JSON = Json.MAPPER;

    @ParameterizedTest
    @ValueSource(strings = {"abcd", "CA1234567890abcdefXYZ012", "20240101call7"})
    void anAlphanumericCallIdOfFourToTwentyFourIsItsOwnExecutionId(String callId) {
        assertThat(ExecutionId.of(callId)).isEqualTo(callId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "", "call-1", "call_1", "CA1234567890abcdefXYZ0123", "ünïcödé-call",
            "a/b/c/d/e/f/g/h/i/j/k/l/m/n"})
    void anyOtherCallIdIsHashedToFourToTwentyFourAlphanumerics(String callId) {
        String id = ExecutionId.of(callId);
        assertThat(id).matches("[A-Za-z0-9]{4,24}").isEqualTo(ExecutionId.of(callId));
        assertThat(id).doesNotContain("-");
    }

    @Test
    void callIdsDifferingOnlyInPunctuationOrFarOutGetDifferentExecutionIds() {
        Set<String> ids = new HashSet<>();
        for (String c : List.of("call-1", "call_1", "call.1", "call-1-with-a-long-suffix-a",
                "call-1-with-a-long-suffix-b")) {
            ids.add(ExecutionId.of(c));
        }
        assertThat(ids).hasSize(5);
        assertThat(ExecutionId.of("call-1")).startsWith("call1");
    }

    private static SocketIoEvent event(String name, String argsJson, byte[]... attachments) throws Exception {
        return new SocketIoEvent(name, (ArrayNode) JSON.readTree(argsJson), -1, List.of(attachments));
    }

    @Test
    void transcriptsAreReadLeniently() throws Exception {
        assertThat(AiolaEvents.map(event("transcript", "[{\"transcript\":\"a\"}]")).data()).containsEntry("text", "a");
        assertThat(AiolaEvents.map(event("transcript", "[{\"transcript\":{\"text\":\"b\",\"final\":true}}]")).data())
                .containsEntry("text", "b");
        assertThat(AiolaEvents.map(event("transcript", "[{\"text\":\"c\"}]")).data()).containsEntry("text", "c");
        assertThat(AiolaEvents.map(event("transcript", "[\"{\\\"transcript\\\":\\\"d\\\"}\"]")).data())
                .containsEntry("text", "d").containsEntry("raw", Map.of("transcript", "d"));
        assertThat(AiolaEvents.map(event("transcript", "[\"just text {\"]")).data()).containsEntry("text",
                "just text {");
        assertThat(AiolaEvents.map(event("transcript", "[\"{broken\"]")).data()).containsEntry("text", "{broken");
        assertThat(AiolaEvents.map(event("transcript", "[{\"_placeholder\":true,\"num\":0}]",
                "{\"transcript\":\"e\"}".getBytes(StandardCharsets.UTF_8))).data()).containsEntry("text", "e");
        AiolaEvents.Published odd = AiolaEvents.map(event("transcript", "[42]"));
        assertThat(odd.type()).isEqualTo("transcript");
        assertThat(odd.data()).containsEntry("text", "").containsEntry("raw", 42);
        assertThat(AiolaEvents.map(event("transcript", "[]")).data()).containsEntry("text", "").containsEntry("raw",
                null);
    }

    @Test
    void errorsAndOtherEventsKeepTheirPayload() throws Exception {
        AiolaEvents.Published error = AiolaEvents.map(event("error", "[{\"code\":\"E1\",\"error\":\"bad audio\"}]"));
        assertThat(error.type()).isEqualTo("stt.error");
        assertThat(error.data()).containsEntry("code", "E1").containsEntry("message", "bad audio");
        assertThat(AiolaEvents.map(event("error", "[\"plain\"]")).data()).containsEntry("message",
                "plain").doesNotContainKey("code");
        AiolaEvents.Published events = AiolaEvents.map(event("events", "[{\"kind\":\"intent\"},2]"));
        assertThat(events.type()).isEqualTo("stt.event");
        assertThat(events.data()).containsEntry("event", "events").containsEntry("data", List.of(Map.of("kind",
                "intent"), 2));
        assertThat(AiolaEvents.map(event("schema_values_updated", "[{\"status\":\"ok\"}]")).data())
                .containsEntry("event", "schema_values_updated").containsEntry("data", Map.of("status", "ok"));
    }

    @Test
    void theExchangesAnswersMapToTheirOutcomes() {
        assertThat(AiolaAuthClient.answer("x", 200, "{\"jwt\":\"j\"}".getBytes()).path("jwt").asText()).isEqualTo("j");
        assertKind(409, "{}", AiolaAuthException.Kind.CONCURRENCY);
        assertKind(429, "{\"code\":\"MAX_CONCURRENCY_REACHED\",\"message\":\"too many\"}",
                AiolaAuthException.Kind.CONCURRENCY);
        assertKind(401, "{\"message\":\"nope\"}", AiolaAuthException.Kind.REFUSED);
        assertKind(403, "<html>", AiolaAuthException.Kind.REFUSED);
        assertKind(500, "oops", AiolaAuthException.Kind.UNAVAILABLE);
        assertKind(200, "<html>not json</html>", AiolaAuthException.Kind.UNAVAILABLE);
        assertKind(200, "[1]", AiolaAuthException.Kind.UNAVAILABLE);
    }

    private static void assertKind(int status, String body, AiolaAuthException.Kind kind) {
        assertThatThrownBy(() -> AiolaAuthClient.answer("session request", status, body.getBytes()))
                .isInstanceOfSatisfying(AiolaAuthException.class, e -> {
                    assertThat(e.kind()).isEqualTo(kind);
                    assertThat(e.status()).isEqualTo(status);
                });
    }

    @Test
    void jwtExpiryIsReadWhenThereIsOne() {
        assertThat(AiolaToken.expiryMillis(AiolaServer.jwt(2_000_000_000L))).isEqualTo(2_000_000_000_000L);
        assertThat(AiolaToken.expiryMillis("opaque-token")).isEqualTo(Long.MAX_VALUE);
        assertThat(AiolaToken.expiryMillis("a.%%%.c")).isEqualTo(Long.MAX_VALUE);
        assertThat(AiolaToken.expiryMillis("a.e30.c")).isEqualTo(Long.MAX_VALUE);
        AiolaToken s = new AiolaToken("j", "id", 10_000);
        assertThat(s.expiresWithin(1_000, 8_999)).isFalse();
        assertThat(s.expiresWithin(1_000, 9_000)).isTrue();
        assertThat(AiolaToken.configured("opaque").expiresWithin(Long.MAX_VALUE / 2,
                System.currentTimeMillis())).isFalse();
        assertThat(s.toString()).doesNotContain("j,");
    }
}
