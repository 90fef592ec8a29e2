package dev.relay.core.control.alohaa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.config.AlohaaConfig;
import dev.relay.core.net.BoundedBody;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Alohaa's REST API for outbound calls ({@code POST {base-url}/v1/voice-stream/call} with
 * {@code x-metro-api-key}), on the JDK's asynchronous {@link HttpClient}: {@link #startCall} never
 * blocks its caller, and its future completes on the client's own threads, either with the
 * {@link AlohaaCall} or exceptionally with an {@link AlohaaException} saying what went wrong.
 * Thread-safe.
 */
public final class AlohaaRestClient {
    static final String CALL_PATH = "/v1/voice-stream/call";
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final int MAX_CALL_ID_CHARS = 128;
    private static final int MAX_REASON_CHARS = 500;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final HttpClient http;
    private final URI callUri;
    private final String apiKey;
    private final long timeoutMs;

    public AlohaaRestClient(AlohaaConfig config) {
        this(config, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(config.requestTimeoutMs()))
                .build());
    }

    /** With an explicit client (tests, or a shared one with its own executor). */
    public AlohaaRestClient(AlohaaConfig config, HttpClient http) {
        this.http = http;
        String base = config.baseUrl();
        this.callUri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALL_PATH);
        this.apiKey = config.apiKey();
        this.timeoutMs = config.requestTimeoutMs();
    }

    /** False when no API key is configured: outbound calls are disabled. */
    public boolean configured() {
        return !apiKey.isBlank();
    }

    /** Asks Alohaa to place {@code call}. */
    public CompletableFuture<AlohaaCall> startCall(OutboundCall call) {
        HttpRequest request = HttpRequest.newBuilder(callUri)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Content-Type", "application/json")
                .header("x-metro-api-key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(call.toJson()))
                .build();
        CompletableFuture<AlohaaCall> result = new CompletableFuture<>();
        // The request timeout covers the response head; this one also covers a body that stalls.
        http.sendAsync(request, BoundedBody.handler(MAX_RESPONSE_BYTES))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> {
                    try {
                        if (error != null) {
                            result.completeExceptionally(transportFailure(error));
                        } else {
                            result.complete(parse(response.statusCode(), response.body()));
                        }
                    } catch (AlohaaException e) {
                        result.completeExceptionally(e);
                    }
                });
        return result;
    }

    /** Alohaa's answer: {@code {success:true,response:{callId,…}}} or {@code {success:false,error:{code,reason}}}. */
    static AlohaaCall parse(int status, byte[] body) {
        boolean ok = status / 100 == 2;
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        if (tree != null && tree.isObject()) {
            JsonNode success = tree.get("success");
            if (ok && success != null && success.isBoolean() && success.booleanValue()) {
                JsonNode r = tree.path("response");
                JsonNode callId = r.get("callId");
                if (callId == null || !callId.isTextual() || callId.asText().isEmpty()
                        || callId.asText().length() > MAX_CALL_ID_CHARS) {
                    throw bad(status, "Alohaa reported success without a usable callId");
                }
                return new AlohaaCall(callId.asText(), r.path("status").asText(""), r.path("message").asText(""));
            }
            JsonNode error = tree.get("error");
            if (error != null && error.isObject()) {
                String reason = error.path("reason").asText(error.path("message").asText(""));
                if (reason.isEmpty()) {
                    reason = "Alohaa refused the call (HTTP " + status + ")";
                }
                throw rejected(status, "alohaa_" + code(error.get("code"), status), reason);
            }
        }
        if (!ok) {
            throw rejected(status, "alohaa_http_" + status, "Alohaa answered HTTP " + status);
        }
        throw bad(status, "Alohaa answered HTTP " + status + " with a body that is not its JSON");
    }

    private static AlohaaException rejected(int status, String code, String reason) {
        String r = reason.length() > MAX_REASON_CHARS ? reason.substring(0, MAX_REASON_CHARS) : reason;
        return new AlohaaException(AlohaaException.Kind.REJECTED, status, code, r, null);
    }

    private static AlohaaException bad(int status, String message) {
        return new AlohaaException(AlohaaException.Kind.BAD_RESPONSE, status, "upstream_bad_response", message, null);
    }

    /** Alohaa's error code as a label: digits and letters kept, anything else {@code _}, bounded. */
    private static String code(JsonNode code, int status) {
        String raw = code == null || code.isNull() || code.isContainerNode() ? "" : code.asText();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length() && sb.length() < 64; i++) {
            char c = Character.toLowerCase(raw.charAt(i));
            sb.append(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ? c : '_');
        }
        return sb.length() == 0 ? "http_" + status : sb.toString();
    }

    private AlohaaException transportFailure(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
            return new AlohaaException(AlohaaException.Kind.TIMEOUT, 0, "upstream_timeout",
                    "Alohaa did not answer within " + timeoutMs + " ms", t);
        }
        if (t instanceof BoundedBody.TooLarge) {
            return new AlohaaException(AlohaaException.Kind.BAD_RESPONSE, 0, "upstream_bad_response",
                    "Alohaa's answer is over " + MAX_RESPONSE_BYTES + " bytes", t);
        }
        String what = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return new AlohaaException(AlohaaException.Kind.UNREACHABLE, 0, "upstream_unreachable",
                "cannot reach Alohaa at " + callUri.getHost() + " (" + what + ")", t);
    }
}
