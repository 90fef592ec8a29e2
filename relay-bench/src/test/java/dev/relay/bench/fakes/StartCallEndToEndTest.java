package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.control.alohaa.AlohaaRestClient;
import dev.relay.core.control.alohaa.StartCallRoute;
import dev.relay.core.control.alohaa.WebhookSecrets;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbound flow end to end: {@code POST /v1/calls} → fake Alohaa → Alohaa's WebSocket registers
 * the returned callId on the plain media path → the call lands on the route chosen at start, and
 * Alohaa's lifecycle webhook on the public port becomes an event for that call.
 */
@Timeout(30)
class StartCallEndToEndTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void outboundCallRegistersOnItsRouteAndItsWebhookIsPublished(@TempDir Path recordings) throws Exception {
        try (FakeAlohaaRest fake = FakeAlohaaRest.start()) {
            RelayConfig config = AlohaaFixtures.config(fake.baseUrl(), """
                    relay.sinks.recorder.dir = "%s"
                    relay.telephony.auth.tokens = ["media-token"]
                    relay.alohaa.webhook-token = "hook-token"
                    """.formatted(recordings.toString().replace("\\", "/")));
            try (RelayServer relay = new RelayServer(config).start()) {
                BlockingQueue<CallEvent> events = new LinkedBlockingQueue<>();
                relay.events().subscribe(events::add);
                StartCallRoute route = new StartCallRoute(config, new AlohaaRestClient(config.alohaa()),
                        relay.pendingCalls());
                String webhookUrl = "http://127.0.0.1:" + relay.telephonyAddress().getPort()
                        + "/v1/webhooks/alohaa?token=hook-token";
                ControlResponse started = route.handle(new ControlRequest("POST", "/v1/calls", Map.of(), Map.of(),
                        EmptyHttpHeaders.INSTANCE, ("{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\","
                                + "\"route\":\"sales\",\"webhook\":\"" + webhookUrl
                                + "\"}").getBytes(StandardCharsets.UTF_8)))
                        .get(10, TimeUnit.SECONDS);
                assertThat(started.status()).isEqualTo(201);
                String callId = JSON.readTree(started.body()).get("callId").asText();
                JsonNode sent = JSON.readTree(fake.takeRequest(1000).body());
                String wsUrl = sent.get("ws_url").asText();
                assertThat(wsUrl).isEqualTo("wss://relay.example.com/media/sales?token=media-token");
                JsonNode details = JSON.readTree(sent.get("webhook_details").asText());
                assertThat(details.get("api_key").asText()).isEqualTo(WebhookSecrets.HEADER);
                String callSecret = details.get("api_value").asText();

                // Alohaa connects to the default path here (the pending entry decides the route),
                // carrying the token from ws_url.
                BlockingQueue<String> texts = new LinkedBlockingQueue<>();
                WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                        + relay.telephonyAddress().getPort() + "/media?token=media-token"), new Texts(texts))
                        .get(5, TimeUnit.SECONDS);
                ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"7756891234\"}", true)
                        .get(5, TimeUnit.SECONDS);
                assertThat(texts.poll(5, TimeUnit.SECONDS)).contains(callId);
                assertThat(relay.calls().get(callId).context().route()).isEqualTo("sales");
                CallEvent callStarted = next(events, "call.started");
                assertThat(callStarted.callId()).isEqualTo(callId);
                assertThat(callStarted.data()).containsEntry("route", "sales").containsEntry("outbound", true)
                        .containsEntry("webhook", webhookUrl);

                HttpResponse<String> hook = HTTP.send(HttpRequest.newBuilder(URI.create(webhookUrl))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"callId\":\"" + callId + "\",\"status\":\"answered\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(hook.statusCode()).isEqualTo(200);
                CallEvent lifecycle = next(events, "alohaa.webhook");
                assertThat(lifecycle.callId()).isEqualTo(callId);
                assertThat(lifecycle.data()).containsEntry("status", "answered");

                // Alohaa sends the call's own secret back as the header it was given: no token needed.
                String bare = "http://127.0.0.1:" + relay.telephonyAddress().getPort() + "/v1/webhooks/alohaa";
                HttpResponse<String> withSecret = HTTP.send(HttpRequest.newBuilder(URI.create(bare))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                        .header(WebhookSecrets.HEADER, callSecret)
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"callId\":\"" + callId + "\",\"status\":\"ringing\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(withSecret.statusCode()).isEqualTo(200);
                assertThat(next(events, "alohaa.webhook").data()).containsEntry("status", "ringing");
                HttpResponse<String> stranger = HTTP.send(HttpRequest.newBuilder(URI.create(bare))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"callId\":\"" + callId + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(stranger.statusCode()).isEqualTo(401);

                ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
                assertThat(next(events, "call.ended").callId()).isEqualTo(callId);
            }
        }
    }

    @Test
    void withNoTokensConfiguredWsUrlCarriesTheGeneratedToken(@TempDir Path dir) throws Exception {
        try (FakeAlohaaRest fake = FakeAlohaaRest.start()) {
            RelayConfig config = AlohaaFixtures.config(fake.baseUrl(), """
                    relay.sinks.recorder.dir = "%s"
                    relay.telephony.auth.token-file = "%s"
                    """.formatted(dir.resolve("recordings"), dir.resolve("run/telephony-token")));
            try (RelayServer relay = new RelayServer(config).start()) {
                String token = relay.config().telephony().authTokens().get(0);
                StartCallRoute route = new StartCallRoute(relay.config(), new AlohaaRestClient(config.alohaa()),
                        relay.pendingCalls());
                ControlResponse started = route.handle(new ControlRequest("POST", "/v1/calls", Map.of(), Map.of(),
                        EmptyHttpHeaders.INSTANCE, "{\"mobile_number\":\"7756891234\",\"did\":\"8645123456\"}"
                                .getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
                assertThat(started.status()).isEqualTo(201);
                assertThat(JSON.readTree(fake.takeRequest(1000).body()).get("ws_url").asText())
                        .isEqualTo("wss://relay.example.com/media?token=" + token);
            }
        }
    }

    private static CallEvent next(BlockingQueue<CallEvent> events, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            CallEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event within 5 s");
    }

    /** Collects whole text messages. */
    private static final class Texts implements WebSocket.Listener {
        private final BlockingQueue<String> texts;
        private final StringBuilder partial = new StringBuilder();

        Texts(BlockingQueue<String> texts) {
            this.texts = texts;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
