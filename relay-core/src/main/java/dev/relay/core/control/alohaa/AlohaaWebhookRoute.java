package dev.relay.core.control.alohaa;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.ingress.TelephonyCounters;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST} or {@code GET /v1/webhooks/alohaa}, served on the public telephony port (Alohaa must
 * reach it): Alohaa's call lifecycle webhooks, each published on the {@link EventBus} as an
 * {@code alohaa.webhook} event whose callId is the event's {@code callId} (or {@code call_id};
 * empty when neither) and whose data is the event's fields. {@code webhook_details} lets a call's
 * webhooks use either method ({@code request_type}); a {@code POST} carries the event as a JSON
 * object body, a {@code GET} as query parameters (the seed does not say; a GET has no body).
 *
 * <p><b>Nothing from strangers.</b> A webhook is accepted only with the per-call secret the relay
 * handed Alohaa when it placed the call ({@link WebhookSecrets}, in the {@link WebhookSecrets#HEADER}
 * header) or with {@code relay.alohaa.webhook-token} (as {@code ?token=} or
 * {@code Authorization: Bearer}); 401 otherwise. With neither (no token configured and no
 * outbound calls possible) the endpoint does not exist: 404. 400 when a POST body is not a JSON
 * object. Answers 200 {@code {"ok":true}}. Handled inline: the work is one bounded JSON parse, one
 * HMAC and a non-blocking publish. Thread-safe.
 */
public final class AlohaaWebhookRoute implements ControlRoute {
    public static final String PATH = "/v1/webhooks/alohaa";
    public static final String EVENT_TYPE = "alohaa.webhook";
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final byte[] token;
    private final WebhookSecrets secrets;
    private final EventBus events;

    /**
     * @param token the configured shared secret, or empty for none
     * @param secrets verifies the per-call secrets of calls this relay placed, or null when it
     *     places none (no Alohaa API key)
     */
    public AlohaaWebhookRoute(String token, WebhookSecrets secrets, EventBus events) {
        this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.secrets = secrets;
        this.events = events;
    }

    /** False when the endpoint answers 404 to everything (neither a token nor per-call secrets). */
    public boolean enabled() {
        return token != null || secrets != null;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public boolean accepts(String method) {
        return method.equals("POST") || method.equals("GET");
    }

    @Override
    public String pattern() {
        return PATH;
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        return CompletableFuture.completedFuture(respond(request));
    }

    private ControlResponse respond(ControlRequest request) {
        if (!enabled()) {
            TelephonyCounters.reject("webhook_disabled");
            return ControlResponse.error(404, "not_found", "no route for " + request.method() + " " + PATH);
        }
        if (!hasCallSecret(request) && !hasToken(request)) {
            TelephonyCounters.reject("webhook_auth_failed");
            return ControlResponse.error(401, "unauthorized", "missing or wrong webhook secret or token");
        }
        Map<String, Object> data = request.method().equals("GET") ? fromQuery(request) : fromBody(request);
        if (data == null) {
            TelephonyCounters.reject("webhook_invalid_json");
            return ControlResponse.error(400, "invalid_json", "body must be a JSON object");
        }
        String callId = text(data.get("callId"));
        if (callId == null) {
            callId = text(data.get("call_id"));
        }
        events.publish(new CallEvent(EVENT_TYPE, callId == null ? "" : callId, System.currentTimeMillis(),
                Collections.unmodifiableMap(data)));
        return new ControlResponse(200, ControlResponse.JSON_TYPE, OK.clone());
    }

    private static Map<String, Object> fromBody(ControlRequest request) {
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return null;
        }
        return body == null || !body.isObject() ? null : JSON.convertValue(body, MAP);
    }

    /** A GET's event: every query parameter but the token, one value each (the first). */
    private static Map<String, Object> fromQuery(ControlRequest request) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
            if (!e.getKey().equals("token") && !e.getValue().isEmpty()) {
                data.put(e.getKey(), e.getValue().get(0));
            }
        }
        return data;
    }

    private boolean hasCallSecret(ControlRequest request) {
        return secrets != null && secrets.verify(request.headers().get(WebhookSecrets.HEADER));
    }

    private boolean hasToken(ControlRequest request) {
        if (token == null) {
            return false;
        }
        String presented = request.queryParam("token");
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (presented == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    private static String text(Object value) {
        return value instanceof String || value instanceof Number ? value.toString() : null;
    }
}
