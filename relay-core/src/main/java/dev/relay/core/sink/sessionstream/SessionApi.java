package dev.relay.core.sink.sessionstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.BoundedBody;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The three REST calls of the session API on the JDK's asynchronous {@link HttpClient}: create
 * ({@code POST {base}/voice/v1/sessions}), end ({@code POST …/{id}/end}) and get
 * ({@code GET …/{id}}). Nothing blocks the caller; every future completes on the client's executor
 * with an {@link Answer}, whatever the status: only the transport failing (refused, reset, timed
 * out, body too large) completes it with a {@link Answer#transportError}. Thread-safe, one per
 * factory.
 */
final class SessionApi {
    static final String SESSIONS_PATH = "/voice/v1/sessions";
    /** Bodies larger than this fail the exchange: results are JSON documents, not media. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final ObjectMapper JSON = Json.MAPPER;

    /** One exchange's outcome: a status and body, or the transport failure (status 0). */
    record Answer(int status, byte[] body, String transportError) {
        boolean ok() {
            return transportError == null && status / 100 == 2;
        }

        /** Worth retrying: no answer, a timeout, throttling or a server error. */
        boolean retryable() {
            return transportError != null || status == 408 || status == 429 || status / 100 == 5;
        }

        String describe() {
            return transportError != null ? transportError : "HTTP " + status;
        }
    }

    private final HttpClient http;
    private final SessionStreamConfig config;
    private final ObjectNode createTemplate;

    SessionApi(HttpClient http, SessionStreamConfig config) {
        this.http = http;
        this.config = config;
        try {
            ObjectNode body = JSON.createObjectNode();
            body.put("upload_type", "stream");
            body.setAll((ObjectNode) JSON.readTree(config.createBodyJson()));
            this.createTemplate = body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code POST /voice/v1/sessions} with {@code {"upload_type":"stream", …extras}}. */
    CompletableFuture<Answer> create(String callId) {
        ObjectNode body = createTemplate.deepCopy();
        if (!config.callIdField().isEmpty()) {
            body.put(config.callIdField(), callId);
        }
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return send(request(SESSIONS_PATH).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build());
    }

    /** {@code POST /voice/v1/sessions/{id}/end}: the one trigger that starts processing. */
    CompletableFuture<Answer> end(String sessionId) {
        return send(request(SESSIONS_PATH + "/" + segment(sessionId) + "/end")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code GET /voice/v1/sessions/{id}}: 202 while processing, then the result. */
    CompletableFuture<Answer> get(String sessionId) {
        return send(request(SESSIONS_PATH + "/" + segment(sessionId)).GET().build());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
                .timeout(Duration.ofMillis(config.httpTimeoutMs()))
                .header("Accept", "application/json");
        if (!config.apiKey().isEmpty()) {
            b.header(config.apiKeyHeader(), config.apiKey());
        }
        return b;
    }

    private CompletableFuture<Answer> send(HttpRequest request) {
        // The request timeout covers the response head; orTimeout also covers a body that stalls.
        return http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES))
                .orTimeout(config.httpTimeoutMs(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> error == null
                        ? new Answer(response.statusCode(), response.body(), null)
                        : new Answer(0, new byte[0], describe(error)));
    }

    private String describe(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return "no answer within " + config.httpTimeoutMs() + " ms";
        }
        if (t instanceof BoundedBody.TooLarge) {
            return "answer over " + MAX_BODY_BYTES + " bytes";
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    /** The session id as one path segment, whatever characters the server chose. */
    static String segment(String sessionId) {
        return URLEncoder.encode(sessionId, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
