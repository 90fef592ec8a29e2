package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.bench.fakes.FakeAlohaaRest.Behaviour;
import dev.relay.bench.fakes.FakeAlohaaRest.Recorded;
import dev.relay.core.control.alohaa.AlohaaCall;
import dev.relay.core.control.alohaa.AlohaaException;
import dev.relay.core.control.alohaa.AlohaaException.Kind;
import dev.relay.core.control.alohaa.AlohaaRestClient;
import dev.relay.core.control.alohaa.OutboundCall;
import dev.relay.core.control.alohaa.WebhookDetails;
import dev.relay.core.net.Json;
import java.net.ServerSocket;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link AlohaaRestClient} against {@link FakeAlohaaRest}: the request Alohaa sees, and every kind of answer. */
@Timeout(30)
class AlohaaRestClientTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final OutboundCall CALL = new OutboundCall("7756891234", "8645123456",
            "wss://relay.example.com/media/sales?token=t1",
            new WebhookDetails("https://hooks.example.com/alohaa?token=w", "POST", null, null));

    private final FakeAlohaaRest fake;

    AlohaaRestClientTest() throws Exception {
        fake = FakeAlohaaRest.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private AlohaaRestClient client(String overrides) {
        return new AlohaaRestClient(AlohaaFixtures.config(fake.baseUrl(), overrides).alohaa());
    }

    @Test
    void successReturnsTheCallIdAndAlohaaSeesKeyAndBodyAsDocumented() throws Exception {
        AlohaaCall call = client("").startCall(CALL).get(5, TimeUnit.SECONDS);
        assertThat(call.callId()).isEqualTo(fake.issuedCallIds().get(0)).hasSize(24);
        assertThat(call.status()).isEqualTo("initiated");
        assertThat(call.message()).isEqualTo("Call setup in progress");

        Recorded r = fake.takeRequest(1000);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/v1/voice-stream/call");
        assertThat(r.header("x-metro-api-key")).isEqualTo(AlohaaFixtures.API_KEY);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("mobile_number").asText()).isEqualTo("7756891234");
        assertThat(body.get("did").asText()).isEqualTo("8645123456");
        assertThat(body.get("ws_url").asText()).isEqualTo("wss://relay.example.com/media/sales?token=t1");
        JsonNode details = body.get("webhook_details");
        assertThat(details.isTextual()).as("webhook_details is a string, not an object").isTrue();
        JsonNode parsed = JSON.readTree(details.asText());
        assertThat(parsed.get("url").asText()).isEqualTo("https://hooks.example.com/alohaa?token=w");
        assertThat(parsed.get("request_type").asText()).isEqualTo("POST");
        assertThat(parsed.size()).isEqualTo(2);
        assertThat(body.size()).isEqualTo(4);
    }

    @Test
    void withoutAWebhookTheFieldIsLeftOut() throws Exception {
        client("").startCall(new OutboundCall("7756891234", "8645123456", "wss://x/media", null)).get(5,
                TimeUnit.SECONDS);
        assertThat(JSON.readTree(fake.takeRequest(1000).body()).has("webhook_details")).isFalse();
    }

    @Test
    void baseUrlWithTrailingSlashStillPostsToTheCallPath() throws Exception {
        new AlohaaRestClient(AlohaaFixtures.config(fake.baseUrl() + "/", "").alohaa()).startCall(CALL).get(5,
                TimeUnit.SECONDS);
        assertThat(fake.takeRequest(1000).path()).isEqualTo("/v1/voice-stream/call");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "FAILURE,      REJECTED,     200, alohaa_1022,           Organisation does not exists",
        "BAD_REQUEST,  REJECTED,     400, alohaa_1022,           Organisation does not exists",
        "SERVER_ERROR, REJECTED,     500, alohaa_http_500,       Alohaa answered HTTP 500",
        "GARBAGE,      BAD_RESPONSE, 200, upstream_bad_response, Alohaa answered HTTP 200 with a body that is not "
        + "its JSON",
    })
    void failuresCarryTheirKindCodeAndReason(Behaviour behaviour, Kind kind, int upstream, String code, String message)
            throws Exception {
        fake.behave(behaviour);
        AlohaaException e = failure(client(""));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.upstreamStatus()).isEqualTo(upstream);
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "200 | {\"success\":true,\"response\":{\"status\":\"initiated\"}}         | BAD_RESPONSE | "
                + "upstream_bad_response",
        "200 | {\"success\":true,\"response\":{\"callId\":42}}                     | BAD_RESPONSE | "
        + "upstream_bad_response",
        "200 | {\"success\":false}                                                 | BAD_RESPONSE | "
        + "upstream_bad_response",
        "200 | []                                                                  | BAD_RESPONSE | "
        + "upstream_bad_response",
        "201 | {\"success\":false,\"error\":{\"code\":\"E-42 x\",\"reason\":\"no\"}} | REJECTED     | alohaa_e_42_x",
        "401 | {\"success\":false,\"error\":{\"reason\":\"bad key\"}}              | REJECTED     | alohaa_http_401",
        "403 | {\"message\":\"Forbidden\"}                                         | REJECTED     | alohaa_http_403",
        "404 | not json                                                            | REJECTED     | alohaa_http_404",
        "503 | ''                                                                  | REJECTED     | alohaa_http_503",
    })
    void unusualAnswersAreClassified(int status, String body, Kind kind, String code) throws Exception {
        fake.respondWith(status, body);
        AlohaaException e = failure(client(""));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.code()).isEqualTo(code);
    }

    @Test
    void oversizedAnswerIsABadResponse() throws Exception {
        fake.respondWith(200, "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}");
        AlohaaException e = failure(client(""));
        assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(e.code()).isEqualTo("upstream_bad_response");
    }

    @Test
    void slowAnswerTimesOutAtTheConfiguredTimeout() throws Exception {
        fake.behave(Behaviour.SLOW).slowMs(10_000);
        long start = System.nanoTime();
        AlohaaException e = failure(client("relay.alohaa.request-timeout = 300ms"));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.code()).isEqualTo("upstream_timeout");
        // Not before the configured timeout; before the 10 s answer (or the test would not be a
        // timeout); how much sooner is the machine's business and not asserted.
        assertThat(ms).isGreaterThanOrEqualTo(250L);
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        AlohaaRestClient client = new AlohaaRestClient(
                AlohaaFixtures.config("http://127.0.0.1:" + closedPort, "").alohaa());
        AlohaaException e = failure(client);
        assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(e.code()).isEqualTo("upstream_unreachable");
        assertThat(e.upstreamStatus()).isZero();
    }

    @Test
    void configuredOnlyWithAnApiKey() {
        assertThat(client("").configured()).isTrue();
        assertThat(client("relay.alohaa.api-key = \"\"").configured()).isFalse();
    }

    private static AlohaaException failure(AlohaaRestClient client) throws Exception {
        try {
            AlohaaCall call = client.startCall(CALL).get(10, TimeUnit.SECONDS);
            return fail("expected a failure, got " + call);
        } catch (ExecutionException e) {
            AlohaaException a = AlohaaException.unwrap(e);
            assertThat(a).as("cause %s", e.getCause()).isNotNull();
            return a;
        }
    }
}
