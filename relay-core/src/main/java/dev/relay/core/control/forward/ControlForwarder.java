package dev.relay.core.control.forward;

import dev.relay.core.net.BoundedBody;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends a control request on to the node that holds its call and hands back that node's answer
 * unchanged (status, content type, body). On the JDK's asynchronous {@link HttpClient}: nothing
 * here waits, on an event loop or anywhere; the answer completes on the client's own threads and
 * the control handler writes it from the connection's loop.
 *
 * <p>The forwarded request carries the control token (the same on every node of a cluster), the
 * request's {@code Content-Type} and body (up to {@code relay.control.max-body-bytes}, which bounds
 * the answer too), and {@link #FORWARDED_HEADER} naming this node, so the owner serves it from its
 * own registry and never forwards it again. At most {@value #MAX_IN_FLIGHT} forwarded requests are
 * in flight per node; past that the request is answered 503 {@code forward_busy} at once. An
 * owner that refuses the connection, resets it or does not answer within
 * {@value #TIMEOUT_MS} ms is 503 {@code owner_unreachable}.
 *
 * <p>Thread-safe.
 */
public final class ControlForwarder {
    /** Marks a request one node forwarded to another; its value is the forwarding node's id. */
    public static final String FORWARDED_HEADER = "X-Relay-Forwarded-By";
    static final int MAX_IN_FLIGHT = 256;
    /** Connection set-up to the owner; a live owner on the pool's network answers in far less. */
    static final long CONNECT_TIMEOUT_MS = 2_000;
    /** The whole exchange with the owner; pushed audio is transcoded there before it answers. */
    static final long TIMEOUT_MS = 10_000;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(CONNECT_TIMEOUT_MS))
            .build();
    private final String authorization;
    private final int maxBodyBytes;
    private final ForwardMetrics metrics;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    /**
     * @param token the control token, sent as the bearer (empty: none)
     * @param maxBodyBytes the largest answer relayed ({@code relay.control.max-body-bytes})
     */
    public ControlForwarder(String token, int maxBodyBytes, ForwardMetrics metrics) {
        this.authorization = token.isEmpty() ? null : "Bearer " + token;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    public ForwardMetrics metrics() {
        return metrics;
    }

    /**
     * Forwards {@code request}, which matched route {@code pattern}, to the control API at
     * {@code controlUrl}; completes with the owner's answer, or the 5xx that says why there is none.
     *
     * @param owner the owning node's id, for messages
     * @param self this node's id, sent in {@link #FORWARDED_HEADER}
     * @param startNanos when the request reached this node, for the latency histogram
     */
    CompletableFuture<ControlResponse> forward(ControlRequest request, String pattern, String owner,
            String controlUrl, String self, long startNanos) {
        if (!inFlight.tryAcquire()) {
            metrics.count(ForwardMetrics.Outcome.BUSY);
            return CompletableFuture.completedFuture(ControlResponse.error(503, "forward_busy",
                    "too many control requests in flight to other nodes; retry shortly"));
        }
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(stripSlash(controlUrl) + target(request, pattern)))
                    .timeout(Duration.ofMillis(TIMEOUT_MS))
                    .header(FORWARDED_HEADER, self)
                    .method(request.method(), request.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        } catch (IllegalArgumentException e) {
            inFlight.release();
            metrics.count(ForwardMetrics.Outcome.OWNER_UNREACHABLE);
            return CompletableFuture.completedFuture(unreachable(owner, "bad control URL " + controlUrl));
        }
        String contentType = request.headers().get("Content-Type");
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        CompletableFuture<ControlResponse> out = new CompletableFuture<>();
        // The request timeout covers the answer's head; this one also covers a body that stalls.
        http.sendAsync(b.build(), BoundedBody.handler(maxBodyBytes))
                .orTimeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> {
                    inFlight.release();
                    out.complete(error == null ? relayed(response, startNanos) : failed(owner, error));
                });
        return out;
    }

    private ControlResponse relayed(HttpResponse<byte[]> response, long startNanos) {
        metrics.forwarded(System.nanoTime() - startNanos);
        String type = response.headers().firstValue("Content-Type").orElse(ControlResponse.JSON_TYPE);
        return new ControlResponse(response.statusCode(), type, response.body());
    }

    private ControlResponse failed(String owner, Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && !(cause instanceof BoundedBody.TooLarge)) {
            cause = cause.getCause();
        }
        if (cause instanceof BoundedBody.TooLarge) {
            metrics.count(ForwardMetrics.Outcome.BAD_ANSWER);
            return ControlResponse.error(502, "owner_bad_response", "node " + owner + " answered with a body over "
                    + maxBodyBytes + " bytes");
        }
        metrics.count(ForwardMetrics.Outcome.OWNER_UNREACHABLE);
        return unreachable(owner, "node " + owner + " did not answer (" + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")");
    }

    static ControlResponse unreachable(String owner, String message) {
        return ControlResponse.error(503, "owner_unreachable", message);
    }

    /** The request's path and query for the owner: {@code pattern} with its placeholders filled. */
    static String target(ControlRequest request, String pattern) {
        StringBuilder path = new StringBuilder();
        for (String segment : pattern.substring(1).split("/", -1)) {
            path.append('/');
            if (segment.length() > 2 && segment.charAt(0) == '{' && segment.endsWith("}")) {
                path.append(encodeSegment(request.pathParams().get(segment.substring(1, segment.length() - 1))));
            } else {
                path.append(segment);
            }
        }
        char sep = '?';
        for (Map.Entry<String, List<String>> q : request.query().entrySet()) {
            for (String v : q.getValue()) {
                path.append(sep).append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                sep = '&';
            }
        }
        return path.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters. */
    static String encodeSegment(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
