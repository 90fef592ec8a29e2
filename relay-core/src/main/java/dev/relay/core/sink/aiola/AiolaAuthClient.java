package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.BoundedBody;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * aiOla's API key exchange, on the JDK's asynchronous {@link HttpClient} (never an event loop):
 *
 * <ol>
 *   <li>{@code POST {auth-url}/voip-auth/apiKey2Token} with {@code Authorization: Bearer <api key>}
 *       → {@code {"context":{"token":"…"}}};
 *   <li>{@code POST {auth-url}/voip-auth/session} with that token as Bearer and
 *       {@code {"workflow_id":"…"}} → {@code {"jwt":"…","sessionId":"…"}};
 *   <li>at the end, {@code DELETE {auth-url}/voip-auth/session} with the session JWT as Bearer.
 * </ol>
 *
 * 401/403 fail as {@link AiolaAuthException.Kind#REFUSED}; 409 or a body whose {@code code} is
 * {@code MAX_CONCURRENCY_REACHED} as {@link AiolaAuthException.Kind#CONCURRENCY}; anything else as
 * {@link AiolaAuthException.Kind#UNAVAILABLE}. Futures complete on the client's threads. Thread-safe.
 */
public final class AiolaAuthClient {
    static final String TOKEN_PATH = "/voip-auth/apiKey2Token";
    static final String SESSION_PATH = "/voip-auth/session";
    static final String CONCURRENCY_CODE = "MAX_CONCURRENCY_REACHED";
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int MAX_MESSAGE_CHARS = 200;
    private static final ObjectMapper JSON = Json.MAPPER;

    private final HttpClient http;
    private final URI tokenUri;
    private final URI sessionUri;
    private final String apiKey;
    private final long timeoutMs;

    public AiolaAuthClient(URI authUrl, String apiKey, long timeoutMs) {
        this(authUrl, apiKey, timeoutMs, HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                .build());
    }

    AiolaAuthClient(URI authUrl, String apiKey, long timeoutMs, HttpClient http) {
        this.http = http;
        this.tokenUri = URI.create(authUrl + TOKEN_PATH);
        this.sessionUri = URI.create(authUrl + SESSION_PATH);
        this.apiKey = apiKey;
        this.timeoutMs = timeoutMs;
    }

    /** Exchanges the API key for a session JWT for {@code workflowId}. */
    public CompletableFuture<AiolaToken> exchangeToken(String workflowId) {
        HttpRequest tokenRequest = request(tokenUri, apiKey).POST(HttpRequest.BodyPublishers.noBody()).build();
        return send(tokenRequest, "token exchange").thenCompose(tokenAnswer -> {
            String token = tokenAnswer.path("context").path("token").asText("");
            if (token.isEmpty()) {
                throw new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, 200,
                        "aiOla token exchange answered without context.token", null);
            }
            byte[] body;
            try {
                body = JSON.writeValueAsBytes(Map.of("workflow_id", workflowId));
            } catch (IOException e) {
                throw new CompletionException(e);
            }
            HttpRequest sessionRequest = request(sessionUri, token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            return send(sessionRequest, "session request");
        }).thenApply(session -> {
            String jwt = session.path("jwt").asText("");
            if (jwt.isEmpty()) {
                throw new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, 200,
                        "aiOla session request answered without jwt", null);
            }
            String id = session.path("sessionId").asText("");
            return new AiolaToken(jwt, id, AiolaToken.expiryMillis(jwt));
        });
    }

    /** Ends {@code token}'s aiOla session; completes with the HTTP status (0: no answer), never exceptionally. */
    public CompletableFuture<Integer> revokeToken(AiolaToken token) {
        HttpRequest request = request(sessionUri, token.jwt()).DELETE().build();
        return http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((response, error) -> error != null ? 0 : response.statusCode());
    }

    private HttpRequest.Builder request(URI uri, String bearer) {
        return HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Authorization", "Bearer " + bearer);
    }

    private CompletableFuture<JsonNode> send(HttpRequest request, String step) {
        return http.sendAsync(request, BoundedBody.handler(MAX_BODY_BYTES))
                .orTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        throw transportFailure(step, error);
                    }
                    return answer(step, response.statusCode(), response.body());
                });
    }

    /** The JSON body of a 2xx answer, or the failure it stands for. */
    static JsonNode answer(String step, int status, byte[] body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        String code = tree == null ? "" : tree.path("code").asText(tree.path("error").path("code").asText(""));
        String message = tree == null ? "" : tree.path("message").asText(tree.path("error").path("message").asText(""));
        if (status == 409 || CONCURRENCY_CODE.equals(code)) {
            throw new AiolaAuthException(AiolaAuthException.Kind.CONCURRENCY, status, "aiOla " + step + ": "
                    + (message.isEmpty() ? "max concurrency reached" : excerpt(message)), null);
        }
        if (status == 401 || status == 403) {
            throw new AiolaAuthException(AiolaAuthException.Kind.REFUSED, status, "aiOla " + step + " refused (HTTP "
                    + status + (message.isEmpty() ? "" : ": " + excerpt(message)) + ")", null);
        }
        if (status / 100 != 2) {
            String text = message.isEmpty() ? excerpt(new String(body, StandardCharsets.UTF_8)) : excerpt(message);
            throw new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, status, "aiOla " + step + " failed (HTTP "
                    + status + (text.isEmpty() ? "" : ": " + text) + ")", null);
        }
        if (tree == null || !tree.isObject()) {
            throw new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, status,
                    "aiOla " + step + " answered HTTP " + status + " with a body that is not a JSON object", null);
        }
        return tree;
    }

    private AiolaAuthException transportFailure(String step, Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof AiolaAuthException a) {
            return a;
        }
        String what = t instanceof HttpTimeoutException || t instanceof TimeoutException
                ? "no answer within " + timeoutMs + " ms"
                : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + excerpt(t.getMessage()));
        return new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, 0,
                "aiOla " + step + " at " + tokenUri.getHost() + " failed (" + what + ")", t);
    }

    private static String excerpt(String s) {
        String t = s.strip().replaceAll("\\p{Cntrl}", " ");
        return t.length() > MAX_MESSAGE_CHARS ? t.substring(0, MAX_MESSAGE_CHARS) + "…" : t;
    }
}
