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
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/webhooks/alohaa}, served on the public telephony port (Alohaa must reach it):
 * Alohaa's call lifecycle webhooks, each published on the {@link EventBus} as an
 * {@code alohaa.webhook} event whose callId is the body's {@code callId} (or {@code call_id}; empty
 * when neither) and whose data is the body's fields.
 *
 * <p>When {@code relay.alohaa.webhook-token} is set, the request must carry it as {@code ?token=}
 * (put it in the webhook URL handed to Alohaa) or as {@code Authorization: Bearer}; 401 otherwise.
 * 400 when the body is not a JSON object. Answers 200 {@code {"ok":true}}. Handled inline: the work
 * is one bounded JSON parse and a non-blocking publish.
 */
public final class AlohaaWebhookRoute implements ControlRoute {
    public static final String PATH = "/v1/webhooks/alohaa";
    public static final String EVENT_TYPE = "alohaa.webhook";
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
    private static final byte[] OK = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);

    private final byte[] token;
    private final EventBus events;

    /** @param token the shared secret, or empty to accept every request */
    public AlohaaWebhookRoute(String token, EventBus events) {
        this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.events = events;
    }

    /** False when any request is accepted (no token configured). */
    public boolean authenticated() {
        return token != null;
    }

    @Override
    public String method() {
        return "POST";
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
        if (token != null && !authorised(request)) {
            TelephonyCounters.reject("webhook_auth_failed");
            return ControlResponse.error(401, "unauthorized", "missing or wrong webhook token");
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            TelephonyCounters.reject("webhook_invalid_json");
            return ControlResponse.error(400, "invalid_json", "body must be a JSON object");
        }
        String callId = text(body.get("callId"));
        if (callId == null) {
            callId = text(body.get("call_id"));
        }
        Map<String, Object> data = Collections.unmodifiableMap(JSON.convertValue(body, MAP));
        events.publish(new CallEvent(EVENT_TYPE, callId == null ? "" : callId, System.currentTimeMillis(), data));
        return new ControlResponse(200, ControlResponse.JSON_TYPE, OK.clone());
    }

    private boolean authorised(ControlRequest request) {
        String presented = request.queryParam("token");
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (presented == null && header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = header.substring(7).trim();
        }
        return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), token);
    }

    private static String text(JsonNode node) {
        return node != null && (node.isTextual() || node.isNumber()) ? node.asText() : null;
    }
}
