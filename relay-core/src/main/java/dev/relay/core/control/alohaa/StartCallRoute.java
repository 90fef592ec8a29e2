package dev.relay.core.control.alohaa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.call.PendingCalls;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.PendingCall;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/calls} {@code {"mobile_number","did","route"?,"webhook"?}}: starts an outbound
 * call through Alohaa and remembers its callId in {@link PendingCalls}, and in a cluster also in
 * Redis (SPEC §8.3), so that when Alohaa's WebSocket registers that callId, on whichever node the
 * balancer sends it to, the call is placed on the route chosen here. The answer waits for the
 * cluster's write (one command timeout at most); when Redis is away the call is still started and
 * kept on this node only, with a warning in the log.
 *
 * <p>Statuses: 201 {@code {"callId","status","message","route"}}; 400 {@code invalid_json},
 * {@code invalid_mobile_number}, {@code invalid_did}, {@code unknown_route}, {@code invalid_webhook}
 * (checked before anything is sent); 503 {@code alohaa_not_configured}; Alohaa's refusal as
 * {@code alohaa_<its code>} (or {@code alohaa_http_<status>}) with its reason — 400 when Alohaa
 * answered HTTP 400 (it judged the parameters), 502 otherwise (HTTP 200 with {@code success:false},
 * 401/403: the relay's key or account, 5xx); 504 {@code upstream_timeout}; 502
 * {@code upstream_unreachable} and {@code upstream_bad_response}.
 *
 * <p>{@code ws_url} is {@code relay.alohaa.public-media-url}, plus {@code /{route}} for a route other
 * than {@code default}, plus {@code ?token=} with the first of {@code relay.telephony.auth.tokens}
 * (the generated token when none are configured) unless the port is open. A {@code webhook}
 * without its own {@code api_key}/{@code api_value} gets the call's secret there
 * ({@link WebhookSecrets}): the relay's webhook endpoint accepts the call's webhooks with it.
 */
public final class StartCallRoute implements ControlRoute {
    private static final Logger log = LoggerFactory.getLogger(StartCallRoute.class);
    private static final Pattern TEN_DIGITS = Pattern.compile("[0-9]{10}");
    private static final ObjectMapper JSON = Json.MAPPER;

    private final AlohaaRestClient client;
    private final PendingCalls pending;
    private final Map<String, List<String>> routes;
    private final String publicMediaUrl;
    private final List<String> telephonyTokens;
    private final Supplier<Cluster> cluster;
    private final WebhookSecrets secrets;

    public StartCallRoute(RelayConfig config, AlohaaRestClient client, PendingCalls pending) {
        this(config, client, pending, null, WebhookSecrets.forRelay(config));
    }

    /**
     * @param cluster where pending calls are shared ({@code get()} null until joined), or null for none
     * @param secrets issues each call's webhook secret (the webhook route verifies them), or null
     */
    public StartCallRoute(RelayConfig config, AlohaaRestClient client, PendingCalls pending,
            Supplier<Cluster> cluster, WebhookSecrets secrets) {
        this.cluster = cluster;
        this.secrets = secrets;
        this.client = client;
        this.pending = pending;
        this.routes = config.routes();
        this.publicMediaUrl = config.alohaa().publicMediaUrl();
        this.telephonyTokens = config.telephony().authTokens();
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String pattern() {
        return "/v1/calls";
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            return done(ControlResponse.error(400, "invalid_json", "body must be a JSON object"));
        }
        String mobile = tenDigits(body.get("mobile_number"));
        if (mobile == null) {
            return done(ControlResponse.error(400, "invalid_mobile_number",
                    "mobile_number must be a string of 10 digits"));
        }
        String did = tenDigits(body.get("did"));
        if (did == null) {
            return done(ControlResponse.error(400, "invalid_did", "did must be a string of 10 digits"));
        }
        JsonNode routeNode = body.get("route");
        String route = routeNode == null || routeNode.isNull() ? "default" : routeNode.asText();
        if (routeNode != null && !routeNode.isNull() && !routeNode.isTextual() || !routes.containsKey(route)) {
            return done(ControlResponse.error(400, "unknown_route", "no route '" + route + "' in relay.routes"));
        }
        WebhookDetails webhook = null;
        JsonNode webhookNode = body.get("webhook");
        if (webhookNode != null && !webhookNode.isNull()) {
            try {
                webhook = WebhookDetails.parse(webhookNode);
            } catch (IllegalArgumentException e) {
                return done(ControlResponse.error(400, "invalid_webhook", e.getMessage()));
            }
        }
        if (!client.configured()) {
            return done(ControlResponse.error(503, "alohaa_not_configured",
                    "outbound calls need relay.alohaa.api-key (RELAY_ALOHAA_API_KEY)"));
        }
        if (publicMediaUrl.isBlank()) {
            return done(ControlResponse.error(503, "alohaa_not_configured",
                    "outbound calls need relay.alohaa.public-media-url"));
        }
        if (webhook != null && webhook.apiKey() == null && webhook.apiValue() == null && secrets != null) {
            // The call's own secret, which Alohaa sends back with each of its webhooks (SPEC §6).
            webhook = new WebhookDetails(webhook.url(), webhook.requestType(), WebhookSecrets.HEADER,
                    secrets.issue());
        }
        String webhookUrl = webhook == null ? null : webhook.url();
        OutboundCall call = new OutboundCall(mobile, did, wsUrl(publicMediaUrl, route, telephonyTokens), webhook);
        return client.startCall(call).thenCompose(started -> share(started, route, webhookUrl)).handle(
                (started, error) -> {
                    if (error == null) {
                        log.info("outbound call started callId={} route={} status={}", started.callId(), route,
                                started.status());
                        Map<String, Object> out = new LinkedHashMap<>();
                        out.put("callId", started.callId());
                        out.put("status", started.status());
                        out.put("message", started.message());
                        out.put("route", route);
                        return ControlResponse.json(201, out);
                    }
                    AlohaaException failure = AlohaaException.unwrap(error);
                    if (failure == null) {
                        log.error("outbound call failed unexpectedly", error);
                        return ControlResponse.error(500, "internal_error", "outbound call failed: " + error);
                    }
                    log.warn("outbound call not started: {} ({})", failure.code(), failure.getMessage());
                    return ControlResponse.error(statusFor(failure), failure.code(), failure.getMessage());
                });
    }

    /** Keeps the started call's route for its WebSocket: here, and in the cluster when there is one. */
    private CompletableFuture<AlohaaCall> share(AlohaaCall started, String route, String webhookUrl) {
        pending.put(started.callId(), new PendingCalls.Pending(route, webhookUrl));
        Cluster c = cluster == null ? null : cluster.get();
        if (c == null) {
            return CompletableFuture.completedFuture(started);
        }
        return c.putPending(started.callId(), new PendingCall(route, webhookUrl)).handle((v, e) -> {
            if (e != null) {
                log.warn("outbound call callId={} kept on this node only: the cluster could not be told ({})",
                        started.callId(), e.getMessage());
            }
            return started;
        }).toCompletableFuture();
    }

    /** The admin API status for an Alohaa failure; see the class javadoc. */
    static int statusFor(AlohaaException e) {
        return switch (e.kind()) {
            case TIMEOUT -> 504;
            case REJECTED -> e.upstreamStatus() == 400 ? 400 : 502;
            case UNREACHABLE, BAD_RESPONSE -> 502;
        };
    }

    /** {@code base} (query kept) with {@code /route} appended to its path and the auth token to its query. */
    static String wsUrl(String base, String route, List<String> tokens) {
        int q = base.indexOf('?');
        String path = q < 0 ? base : base.substring(0, q);
        String query = q < 0 ? "" : base.substring(q + 1);
        if (!route.equals("default")) {
            path = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/" + route;
        }
        if (!tokens.isEmpty()) {
            query = (query.isEmpty() ? "" : query + "&") + "token=" + URLEncoder.encode(tokens.get(0),
                    StandardCharsets.UTF_8);
        }
        return query.isEmpty() ? path : path + "?" + query;
    }

    private static String tenDigits(JsonNode node) {
        return node != null && node.isTextual() && TEN_DIGITS.matcher(node.asText()).matches() ? node.asText() : null;
    }

    private static CompletableFuture<ControlResponse> done(ControlResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
