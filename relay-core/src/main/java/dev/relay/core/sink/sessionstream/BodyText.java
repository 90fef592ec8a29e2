package dev.relay.core.sink.sessionstream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Response bodies as event fields: a bounded excerpt for errors, the parsed JSON for results. */
final class BodyText {
    /** Characters of a body kept in an event. */
    static final int EXCERPT_CHARS = 500;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private BodyText() {}

    /** The first {@value #EXCERPT_CHARS} characters of {@code body} (UTF-8, control characters shown as spaces). */
    static String excerpt(byte[] body) {
        int bytes = Math.min(body.length, EXCERPT_CHARS * 4);
        String s = new String(body, 0, bytes, StandardCharsets.UTF_8);
        if (s.length() > EXCERPT_CHARS) {
            s = s.substring(0, EXCERPT_CHARS) + "…";
        } else if (bytes < body.length) {
            s = s + "…";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c < 0x20 && c != '\n' ? ' ' : c);
        }
        return out.toString();
    }

    /** The body as a JSON object, or null when it is not one. */
    static Map<String, Object> jsonObject(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            return JSON.readValue(body, MAP);
        } catch (IOException e) {
            return null;
        }
    }
}
