package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.bench.fakes.FakeAlohaaRest.Behaviour;
import dev.relay.core.call.PendingCalls;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.control.alohaa.AlohaaRestClient;
import dev.relay.core.control.alohaa.StartCallRoute;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every status of {@code POST /v1/calls}, called as the admin server would, against {@link FakeAlohaaRest}. */
@Timeout(30)
class StartCallRouteTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String VALID = "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\"}";

    private final FakeAlohaaRest fake;
    private final PendingCalls pending = new PendingCalls();

    StartCallRouteTest() throws Exception {
        fake = FakeAlohaaRest.start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private StartCallRoute route(String overrides) {
        RelayConfig config = AlohaaFixtures.config(fake.baseUrl(), overrides);
        return new StartCallRoute(config, new AlohaaRestClient(config.alohaa()), pending);
    }

    private static ControlResponse post(StartCallRoute route, String body) throws Exception {
        assertThat(route.method()).isEqualTo("POST");
        assertThat(route.pattern()).isEqualTo("/v1/calls");
        return route.handle(new ControlRequest("POST", "/v1/calls", Map.of(), Map.of(), EmptyHttpHeaders.INSTANCE,
                body.getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
    }

    private static JsonNode json(ControlResponse r) throws Exception {
        assertThat(r.contentType()).isEqualTo("application/json");
        return JSON.readTree(r.body());
    }

    @Test
    void startedCallIs201AndRememberedWithItsRouteAndWebhook() throws Exception {
        ControlResponse r = post(route("relay.telephony.auth.tokens = [\"tok 1\", \"tok2\"]"),
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"route\":\"sales\","
                        + "\"webhook\":\"https://hooks.example.com/a\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode body = json(r);
        String callId = fake.issuedCallIds().get(0);
        assertThat(body.get("callId").asText()).isEqualTo(callId);
        assertThat(body.get("status").asText()).isEqualTo("initiated");
        assertThat(body.get("message").asText()).isEqualTo("Call setup in progress");
        assertThat(body.get("route").asText()).isEqualTo("sales");
        assertThat(pending.peek(callId)).isEqualTo(new PendingCalls.Pending("sales", "https://hooks.example.com/a"));

        JsonNode sent = JSON.readTree(fake.takeRequest(1000).body());
        assertThat(sent.get("ws_url").asText()).isEqualTo("wss://relay.example.com/media/sales?token=tok+1");
        assertThat(JSON.readTree(sent.get("webhook_details").asText()).get("url").asText())
                .isEqualTo("https://hooks.example.com/a");
    }

    @Test
    void defaultRouteWithoutAuthUsesThePublicMediaUrlAsIs() throws Exception {
        ControlResponse r = post(route(""), VALID);
        assertThat(r.status()).isEqualTo(201);
        assertThat(json(r).get("route").asText()).isEqualTo("default");
        JsonNode sent = JSON.readTree(fake.takeRequest(1000).body());
        assertThat(sent.get("ws_url").asText()).isEqualTo("wss://relay.example.com/media");
        assertThat(sent.has("webhook_details")).isFalse();
        assertThat(pending.peek(fake.issuedCallIds().get(0))).isEqualTo(new PendingCalls.Pending("default", null));
    }

    @Test
    void webhookObjectKeepsItsOptionalFields() throws Exception {
        ControlResponse r = post(
                route(""),
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\","
                    + "\"webhook\":{\"url\":\"http://h.example/x\",\"request_type\":\"get\",\"api_key\":\"k\","
                    + "\"api_value\":\"v\"}}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode details = JSON.readTree(JSON.readTree(fake.takeRequest(1000).body()).get("webhook_details").asText());
        assertThat(details.toString())
                .isEqualTo(
                        "{\"url\":\"http://h.example/x\",\"request_type\":\"GET\",\"api_key\":\"k\",\"api_value\":"
                                + "\"v\"}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                                                               | invalid_json",
                "[]                                                                     | invalid_json",
                "{\"did\":\"8645123456\"}                                               | invalid_mobile_number",
                "{\"mobile_number\":\"775689123\",\"did\":\"8645123456\"}               | invalid_mobile_number",
                "{\"mobile_number\":\"77568912345\",\"did\":\"8645123456\"}             | invalid_mobile_number",
                "{\"mobile_number\":\"77568912a4\",\"did\":\"8645123456\"}              | invalid_mobile_number",
                "{\"mobile_number\":7756891234,\"did\":\"8645123456\"}                  | invalid_mobile_number",
                "{\"mobile_number\":\"+917756891\",\"did\":\"8645123456\"}              | invalid_mobile_number",
                "{\"mobile_number\":\"7756891234\"}                                     | invalid_did",
                "{\"mobile_number\":\"7756891234\",\"did\":\"86451234\"}                | invalid_did",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"route\":\"nope\"}   | unknown_route",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"route\":7}          | unknown_route",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"webhook\":\"ftp://x/y\"}       |"
                        + " invalid_webhook",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"webhook\":\"not a url\"}       |"
                        + " invalid_webhook",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"webhook\":{\"request_type\":\"POST\"}} | "
                        + "invalid_webhook",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"webhook\":{\"url\":\"https://h/x\","
                        + "\"request_type\":\"DELETE\"}}"
                    + " | invalid_webhook",
                "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\",\"webhook\":42}       | invalid_webhook",
            })
    void invalidRequestsAre400AndNeverReachAlohaa(String body, String code) throws Exception {
        ControlResponse r = post(route(""), body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(json(r).at("/error/code").asText()).isEqualTo(code);
        assertThat(json(r).at("/error/message").asText()).isNotBlank();
        assertThat(fake.takeRequest(100)).isNull();
        assertThat(pending.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "relay.alohaa.api-key = \"\"          | RELAY_ALOHAA_API_KEY",
        "relay.alohaa.public-media-url = \"\" | public-media-url",
    })
    void notConfiguredIs503(String overrides, String hint) throws Exception {
        ControlResponse r = post(route(overrides), VALID);
        assertThat(r.status()).isEqualTo(503);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("alohaa_not_configured");
        assertThat(json(r).at("/error/message").asText()).contains(hint);
        assertThat(fake.takeRequest(100)).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource({
        "FAILURE,      502, alohaa_1022,           Organisation does not exists",
        "BAD_REQUEST,  400, alohaa_1022,           Organisation does not exists",
        "SERVER_ERROR, 502, alohaa_http_500,       Alohaa answered HTTP 500",
        "GARBAGE,      502, upstream_bad_response, Alohaa answered HTTP 200 with a body that is not its JSON",
    })
    void alohaaFailuresMapToTheirStatus(Behaviour behaviour, int status, String code, String message) throws Exception {
        fake.behave(behaviour);
        ControlResponse r = post(route(""), VALID);
        assertThat(r.status()).isEqualTo(status);
        assertThat(json(r).at("/error/code").asText()).isEqualTo(code);
        assertThat(json(r).at("/error/message").asText()).isEqualTo(message);
        assertThat(pending.size()).isZero();
    }

    @Test
    void slowAlohaaIs504() throws Exception {
        fake.behave(Behaviour.SLOW).slowMs(10_000);
        ControlResponse r = post(route("relay.alohaa.request-timeout = 300ms"), VALID);
        assertThat(r.status()).isEqualTo(504);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("upstream_timeout");
        assertThat(pending.size()).isZero();
    }

    @Test
    void unreachableAlohaaIs502() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        RelayConfig config = AlohaaFixtures.config("http://127.0.0.1:" + closedPort, "");
        ControlResponse r = post(new StartCallRoute(config, new AlohaaRestClient(config.alohaa()), pending), VALID);
        assertThat(r.status()).isEqualTo(502);
        assertThat(json(r).at("/error/code").asText()).isEqualTo("upstream_unreachable");
    }

    @Test
    void handleReturnsBeforeAlohaaAnswers() throws Exception {
        StartCallRoute route = route("");
        assertThat(post(route, VALID).status()).as("warm-up: class loading is not what is measured").isEqualTo(201);
        // Alohaa answers only when released: a handle() that waited for it would never return.
        fake.behave(Behaviour.HELD);
        var future = route.handle(new ControlRequest("POST", "/v1/calls", Map.of(), Map.of(), EmptyHttpHeaders.INSTANCE,
                VALID.getBytes(StandardCharsets.UTF_8)));
        assertThat(future).isNotDone();
        fake.release();
        assertThat(future.get(5, TimeUnit.SECONDS).status()).isEqualTo(201);
    }
}
