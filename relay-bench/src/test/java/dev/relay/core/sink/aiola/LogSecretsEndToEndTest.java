package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.bench.fakes.FakeAlohaaRest;
import dev.relay.bench.fakes.FakeSessionStream;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 item 6 from outside: a relay process logging with the shipped {@code logback.xml},
 * every secret set to a marker (each {@code RELAY_*} variable, the telephony and Alohaa webhook
 * tokens, an event webhook URL with a token), and a full call through the real aiOla server (npm
 * socket.io) and the session-stream fake: an outbound call placed through the control API with a
 * mobile number and a webhook URL with a token, then answered on the media port, with a transcript.
 * The captured log holds none of the secrets and not the full mobile number, at INFO and at DEBUG
 * (where event data is logged in full), and at INFO not what the caller said; in JSON mode every
 * line parses and lines about the call carry {@code callId}. Lives here for the session-stream and
 * Alohaa fakes, in the aiola package for the npm server fixture.
 */
@Timeout(120)
class LogSecretsEndToEndTest {
    private static final String MOBILE = "9876543210";
    private static final String SAID = "my card number is in this sentence";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} at {1}")
    @CsvSource({"text, INFO", "json, INFO", "json, DEBUG"})
    void theLogOfAFullCallHoldsNoSecretAndNoFullMobileNumber(String format, String level) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RELAY_AIOLA_TOKEN", AiolaServer.TOKEN);
        env.put("RELAY_AIOLA_API_KEY", "marker-aiola-api-key-51c3");
        env.put("RELAY_ALOHAA_API_KEY", "marker-alohaa-api-key-8d2e");
        env.put("RELAY_SESSION_STREAM_API_KEY", "marker-session-key-4b7a");
        env.put("RELAY_MEDIA_STREAM_TOKEN", "marker-media-token-9e1f");
        env.put("RELAY_CONTROL_TOKEN", "marker-control-token-2a6d");
        env.put("RELAY_REDIS_PASSWORD", "marker-redis-password-7c0b");
        String telephonyToken = "marker-telephony-token-3f9e";
        String alohaaWebhookToken = "marker-alohaa-webhook-6e2c";
        String eventWebhookToken = "marker-event-webhook-0d4a";
        String outboundWebhookToken = "marker-outbound-webhook-1b5f";
        List<String> secrets = new ArrayList<>(env.values());
        secrets.addAll(List.of(telephonyToken, alohaaWebhookToken, eventWebhookToken, outboundWebhookToken));

        try (AiolaServer aiola = AiolaServer.withToken(0);
                FakeSessionStream session = FakeSessionStream.builder().apiKey(env.get("RELAY_SESSION_STREAM_API_KEY"))
                        .pendingPolls(1).start();
                FakeAlohaaRest alohaa = FakeAlohaaRest.start()) {
            int telephony = freePort();
            int control = freePort();
            Path conf = dir.resolve("relay.conf");
            Files.writeString(conf, """
                    relay.telephony { host = "127.0.0.1", port = %d, tls.enabled = false, auth.tokens = ["%s"] }
                    relay.control.port = %d
                    relay.routes.default = [aiola, session-stream, recorder]
                    relay.sinks.aiola { url = "%s", close-linger = 100ms }
                    relay.sinks.session-stream { base-url = "%s", result-poll-interval = 50ms }
                    relay.sinks.recorder.dir = "%s"
                    relay.alohaa { base-url = "%s", public-media-url = "ws://127.0.0.1:%d/media",
                                   webhook-token = "%s" }
                    relay.events.webhook-url = "http://127.0.0.1:%d/hook?token=%s"
                    relay.log.format = %s
                    relay.drain.accept-grace = 0s
                    """.formatted(telephony, telephonyToken, control, aiola.url(), session.baseUrl(),
                    dir.resolve("rec"), alohaa.baseUrl(), telephony, alohaaWebhookToken, freePort(),
                    eventWebhookToken, format));
            Path log = dir.resolve("stdout.log");
            Process relay = start(conf, env, log, level);
            final String callId;
            try {
                await(relay, log, "/readyz 200", () -> status(control, "/readyz", null) == 200);
                String body = "{\"mobile_number\":\"" + MOBILE + "\",\"did\":\"8047000000\",\"webhook\":"
                        + "\"https://hooks.example/calls?token=" + outboundWebhookToken + "\"}";
                HttpResponse<String> placed = post(control, "/v1/calls", body, env.get("RELAY_CONTROL_TOKEN"));
                assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
                callId = JSON.readTree(placed.body()).path("callId").asText();
                try (WsClient ws = WsClient.connect("ws://127.0.0.1:" + telephony + "/media?token=" + telephonyToken)) {
                    ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"" + MOBILE
                            + "\"}");
                    assertThat(ws.nextText(5000)).contains(callId);
                    List<byte[]> speech = Speech.packets();
                    for (int i = 0; i < 200; i++) {
                        ws.sendBinary(speech.get(i));
                    }
                    aiola.await("connect", l -> l.path("exec").asText().equals(ExecutionId.of(callId)), 10_000);
                    aiola.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", SAID)));
                    await(relay, log, "transcript logged",
                            () -> read(log).contains("event transcript callId=" + callId));
                    for (int i = 200; i < speech.size(); i++) {
                        ws.sendBinary(speech.get(i));
                    }
                    ws.sendClose(1000);
                    ws.awaitCloseCode(5000);
                }
                await(relay, log, "session.result logged",
                        () -> read(log).contains("event session.result callId=" + callId));
                await(relay, log, "call.ended logged", () -> read(log).contains("event call.ended callId=" + callId));
                relay.destroy(); // SIGTERM: drain, nothing live, no accept grace: exit 0
                assertThat(relay.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(relay.exitValue()).as(read(log)).isZero();
            } finally {
                relay.destroyForcibly();
            }
            String text = read(log);
            // JSON escapes '/' and quotes: the checks read the messages as written, and decoded.
            String decoded = format.equals("json") ? decode(text) : text;
            for (String secret : secrets) {
                assertThat(text).as("the log holds %s", secret).doesNotContain(secret);
                assertThat(decoded).as("the log holds %s", secret).doesNotContain(secret);
            }
            assertThat(decoded).doesNotContain(MOBILE).contains("******3210");
            if (level.equals("INFO")) {
                assertThat(decoded).doesNotContain(SAID).doesNotContain("fake transcript");
            } else {
                assertThat(decoded).as("DEBUG logs event data in full").contains(SAID,
                        "webhook=https://hooks.example/calls?token=***");
            }
            assertThat(decoded).contains("outbound call started");
            if (format.equals("json")) {
                int aboutTheCall = 0;
                for (String line : text.split("\n")) {
                    JsonNode node = parse(line);
                    String message = node.path("formattedMessage").asText();
                    if (message.contains("callId=" + callId)) {
                        assertThat(node.path("mdc").path("callId").asText()).as(line).isEqualTo(callId);
                        aboutTheCall++;
                    }
                }
                assertThat(aboutTheCall).isGreaterThanOrEqualTo(4);
            }
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }

    /** Every line's message and exception text, unescaped. */
    private static String decode(String jsonLines) {
        StringBuilder out = new StringBuilder();
        for (String line : jsonLines.split("\n")) {
            JsonNode node = parse(line);
            out.append(node.path("formattedMessage").asText()).append(' ').append(node.path("throwable")).append('\n');
        }
        return out.toString();
    }

    private Process start(Path conf, Map<String, String> env, Path log, String level) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + System.getProperty("jvm.argfile"), "-Drelay.log.level=" + level,
                // The shipped configuration, not the test one that is also on this class path.
                "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "dev.relay.core.Main", "--config", conf.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(log.toFile()).redirectError(dir.resolve("stderr.log").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int status(int port, String path, String token) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private static HttpResponse<String> post(int port, String path, String body, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for {@code condition} while the relay lives; fails with its log when it exits or time runs out. */
    private void await(Process relay, Path log, String what, BooleanSupplier condition) throws Exception {
        Await.value(what, Duration.ofSeconds(30), () -> {
            if (condition.getAsBoolean()) {
                return Boolean.TRUE;
            }
            if (!relay.isAlive()) {
                throw new AssertionError("relay exited " + relay.exitValue() + ":\n" + read(log) + "\n"
                        + read(dir.resolve("stderr.log")));
            }
            return null;
        }, () -> "log:\n" + read(log));
    }
}
