package dev.relay.core.net.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An admin API response. Errors always have the SPEC §6 shape
 * {@code {"error":{"code":"…","message":"…"}}}.
 *
 * @param status HTTP status
 * @param contentType content type of {@code body}
 * @param body response body
 */
public record ControlResponse(int status, String contentType, byte[] body) {
    static final ObjectMapper JSON = Json.MAPPER;
    public static final String JSON_TYPE = "application/json";

    /** {@code value} serialised as JSON. */
    public static ControlResponse json(int status, Object value) {
        try {
            return new ControlResponse(status, JSON_TYPE, JSON.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable: " + value, e);
        }
    }

    /** The error shape of SPEC §6. {@code code} is a stable snake_case identifier. */
    public static ControlResponse error(int status, String code, String message) {
        return json(status, Map.of("error", fields("code", code, "message", message)));
    }

    /**
     * An insertion-ordered JSON object from alternating keys and values, so responses read the
     * same every time ({@code Map.of} iterates in no fixed order). Values may be null.
     */
    public static Map<String, Object> fields(Object... keysAndValues) {
        if ((keysAndValues.length & 1) != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    public static ControlResponse text(int status, String contentType, String text) {
        return new ControlResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }
}
