package dev.relay.core.control.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.event.KeywordsSignal;
import dev.relay.core.net.Json;
import dev.relay.core.net.http.ControlRequest;
import dev.relay.core.net.http.ControlResponse;
import dev.relay.core.net.http.ControlRoute;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code POST /v1/calls/{callId}/keywords}: the call's STT keyword hints (aiOla
 * {@code set_keywords}), as {@code {"keywords":{"spoken":"written",…}}} or the bare object.
 * Validated here, then published as a {@link KeywordsSignal} call event carrying
 * {@code {"keywords":{…}}} and handed to the call's sinks; the STT sink acts on it. Answers 202: delivery is the sink's
 * business.
 */
public final class KeywordsRoute implements ControlRoute {
    static final int MAX_KEYWORDS = 1000;
    static final int MAX_CHARS = 256;

    private static final ObjectReader JSON = Json.STRICT_READER;

    private final CallRegistry registry;
    private final EventBus events;

    public KeywordsRoute(CallRegistry registry, EventBus events) {
        this.registry = registry;
        this.events = events;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String pattern() {
        return "/v1/calls/{callId}/keywords";
    }

    @Override
    public CompletableFuture<ControlResponse> handle(ControlRequest request) {
        return CompletableFuture.completedFuture(CallRoutes.withCall(registry, request, (call, req) -> {
            Map<String, String> keywords;
            try {
                keywords = parse(req.body());
            } catch (InvalidKeywords e) {
                return ControlResponse.error(400, "invalid_keywords", e.getMessage());
            }
            CallEvent event = KeywordsSignal.of(call.callId(), keywords);
            events.publish(event);
            call.signalSinks(event);
            return ControlResponse.json(202, ControlResponse.fields("callId", call.callId(), "keywords",
                    keywords.size()));
        }));
    }

    /** The keyword map, unmodifiable, in request order. */
    static Map<String, String> parse(byte[] body) throws InvalidKeywords {
        JsonNode root;
        try {
            root = body.length == 0 ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidKeywords("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidKeywords("body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidKeywords("body must be a JSON object {\"keywords\":{\"spoken\":\"written\",…}}");
        }
        JsonNode map = root.size() == 1 && root.has("keywords") ? root.get("keywords") : root;
        if (!map.isObject()) {
            throw new InvalidKeywords("\"keywords\" must be an object of strings");
        }
        if (map.size() > MAX_KEYWORDS) {
            throw new InvalidKeywords("at most " + MAX_KEYWORDS + " keywords, got " + map.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (e.getKey().isEmpty() || e.getKey().length() > MAX_CHARS) {
                throw new InvalidKeywords("keyword must be 1-" + MAX_CHARS + " characters: \"" + e.getKey() + "\"");
            }
            if (!e.getValue().isTextual() || e.getValue().textValue().length() > MAX_CHARS) {
                throw new InvalidKeywords("value of \"" + e.getKey() + "\" must be a string of at most " + MAX_CHARS
                        + " characters");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Why a keywords body was refused (400 {@code invalid_keywords}). */
    static final class InvalidKeywords extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidKeywords(String message) {
            super(message);
        }
    }
}
