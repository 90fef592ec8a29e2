package dev.relay.core.control.alohaa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.event.CallEvent;
import dev.relay.core.ingress.TelephonyCounters;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST} and {@code GET /v1/webhooks/alohaa} on the public telephony port, over a real socket. */
@Timeout(30)
class WebhookEndpointTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String LIFECYCLE =
            "{\"callId\":\"a47f91c2e8d44b77b65f13f9\",\"status\":\"answered\",\"duration\":null,\"meta\":{\"n\":1}}";

    private final BlockingQueue<CallEvent> webhooks = new LinkedBlockingQueue<>();
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start(String token) throws Exception {
        relay = TestRelays.start("relay.alohaa.webhook-token = \"" + token + "\"", new MemorySinkFactory());
        relay.events().subscribe(e -> {
            if (e.type().equals(AlohaaWebhookRoute.EVENT_TYPE)) {
                webhooks.add(e);
            }
        });
    }

    @Test
    void tokenInQueryIsAcceptedAndTheBodyIsPublishedAsAnEvent() throws Exception {
        start("s3cret");
        HttpResponse<String> r = post("/v1/webhooks/alohaa?token=s3cret", LIFECYCLE, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"ok\":true}");
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        CallEvent e = webhooks.poll(5, TimeUnit.SECONDS);
        assertThat(e.callId()).isEqualTo("a47f91c2e8d44b77b65f13f9");
        assertThat(e.data()).containsEntry("status", "answered").containsEntry("duration", null)
                .containsEntry("meta", Map.of("n", 1)).containsKey("callId");
    }

    @Test
    void bearerTokenIsAccepted() throws Exception {
        start("s3cret");
        HttpResponse<String> r = post("/v1/webhooks/alohaa", "{\"call_id\":\"c-9\",\"event\":\"completed\"}",
                Map.of("Authorization", "Bearer s3cret"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(webhooks.poll(5, TimeUnit.SECONDS).callId()).isEqualTo("c-9");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/v1/webhooks/alohaa", "/v1/webhooks/alohaa?token=wrong", "/v1/webhooks/alohaa?token="})
    void missingOrWrongTokenIs401AndNothingIsPublished(String path) throws Exception {
        start("s3cret");
        long before = TelephonyCounters.rejected("webhook_auth_failed");
        HttpResponse<String> r = post(path, LIFECYCLE, Map.of());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"code\":\"unauthorized\"");
        HttpResponse<String> wrongBearer = post("/v1/webhooks/alohaa", LIFECYCLE, Map.of("Authorization",
                "Bearer nope"));
        assertThat(wrongBearer.statusCode()).isEqualTo(401);
        assertThat(TelephonyCounters.rejected("webhook_auth_failed")).isEqualTo(before + 2);
        assertThat(webhooks.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void withNeitherATokenNorOutboundCallsTheEndpointIs404() throws Exception {
        start("");
        assertThat(post("/v1/webhooks/alohaa", "{\"event\":\"ringing\"}", Map.of()).statusCode()).isEqualTo(404);
        assertThat(post("/v1/webhooks/alohaa?token=", "{\"event\":\"ringing\"}", Map.of()).statusCode())
                .isEqualTo(404);
        assertThat(get("/v1/webhooks/alohaa?event=ringing").statusCode()).isEqualTo(404);
        assertThat(webhooks.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aCallsOwnSecretIsAcceptedWithoutAToken() throws Exception {
        relay = TestRelays.start("""
                relay.alohaa.api-key = "k"
                relay.control.token = "control-secret"
                """, new MemorySinkFactory());
        relay.events().subscribe(webhooks::add);
        // The seed every node shares: a secret issued by any node with it verifies here.
        String secret = new WebhookSecrets("control-secret").issue();
        HttpResponse<String> r = post("/v1/webhooks/alohaa", LIFECYCLE, Map.of(WebhookSecrets.HEADER, secret));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(webhooks.poll(5, TimeUnit.SECONDS).callId()).isEqualTo("a47f91c2e8d44b77b65f13f9");

        String foreign = new WebhookSecrets("another-fleet").issue();
        assertThat(post("/v1/webhooks/alohaa", LIFECYCLE, Map.of(WebhookSecrets.HEADER, foreign)).statusCode())
                .isEqualTo(401);
        assertThat(post("/v1/webhooks/alohaa", LIFECYCLE, Map.of()).statusCode()).isEqualTo(401);
        String tampered = secret.substring(0, secret.length() - 2) + (secret.endsWith("AA") ? "BB" : "AA");
        assertThat(post("/v1/webhooks/alohaa", LIFECYCLE, Map.of(WebhookSecrets.HEADER, tampered)).statusCode())
                .isEqualTo(401);
        assertThat(webhooks.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aGetWebhookCarriesItsEventInTheQuery() throws Exception {
        start("s3cret");
        HttpResponse<String> r = get("/v1/webhooks/alohaa?token=s3cret&callId=g-1&status=answered");
        assertThat(r.statusCode()).isEqualTo(200);
        CallEvent e = webhooks.poll(5, TimeUnit.SECONDS);
        assertThat(e.callId()).isEqualTo("g-1");
        assertThat(e.data()).isEqualTo(Map.of("callId", "g-1", "status", "answered"));
        assertThat(get("/v1/webhooks/alohaa?token=wrong&callId=g-2").statusCode()).isEqualTo(401);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "", "{\"callId\":"})
    void bodyThatIsNotAJsonObjectIs400(String body) throws Exception {
        start("s3cret");
        HttpResponse<String> r = post("/v1/webhooks/alohaa?token=s3cret", body, Map.of());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"code\":\"invalid_json\"");
        assertThat(webhooks.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void otherMethodsAre405() throws Exception {
        start("s3cret");
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/v1/webhooks/alohaa?token=s3cret"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(405);
    }

    @Test
    void webhookBodiesMayExceedTheUpgradeBoundButNot64KiB() throws Exception {
        start("s3cret");
        String padding = "x".repeat(40 * 1024);
        String big = "{\"callId\":\"big\",\"pad\":\"" + padding + "\"}";
        assertThat(post("/v1/webhooks/alohaa?token=s3cret", big, Map.of()).statusCode()).isEqualTo(200);
        assertThat(webhooks.poll(5, TimeUnit.SECONDS).data().get("pad")).isEqualTo(padding);
        String tooBig = "{\"callId\":\"big\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}";
        assertThat(post("/v1/webhooks/alohaa?token=s3cret", tooBig, Map.of()).statusCode()).isEqualTo(413);
        assertThat(post("/media", big, Map.of()).statusCode()).as("other paths keep the 16 KiB bound").isEqualTo(413);
        // Netty keeps a keep-alive connection open after a 413, so the next request may reuse it:
        // the bound follows each request's path, not the connection's first.
        assertThat(post("/v1/webhooks/alohaa?token=s3cret", big, Map.of()).statusCode()).isEqualTo(200);
        assertThat(post("/media", big, Map.of()).statusCode()).isEqualTo(413);
    }

    @Test
    void theMediaPathStillUpgradesBesideTheWebhook() throws Exception {
        start("s3cret");
        assertThat(post("/v1/webhooks/alohaa?token=s3cret", "{}", Map.of()).statusCode()).isEqualTo(200);
        try (var ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"beside\",\"mobileNo\":\"4155551234\"}");
            assertThat(ws.nextText(5000)).contains("beside");
        }
        assertThat(post("/elsewhere", "{}", Map.of()).statusCode()).isEqualTo(404);
    }

    private URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + relay.telephonyAddress().getPort() + pathAndQuery);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(pathAndQuery)).GET().timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String pathAndQuery, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + pathAndQuery + " failed: " + e, e);
        }
    }

}
