package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.relay.core.net.Json;
import dev.relay.core.socketio.SocketIoEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What aiOla emits, as call events (SPEC §6). Parsed leniently, because aiOla's payloads have
 * changed between SDK versions: an argument may be an object, a JSON string holding an object, a
 * plain string, or a binary attachment holding UTF-8 JSON.
 *
 * <ul>
 *   <li>{@code transcript} → {@code transcript} {text, raw}: text from {@code transcript} (or its
 *       {@code text}, or {@code text}), or the string itself;
 *   <li>{@code error} → {@code stt.error} {code?, message, raw};
 *   <li>{@code structured}, {@code events}, {@code translation} and any other event → {@code stt.event}
 *       {event, data}.
 * </ul>
 */
final class AiolaEvents {
    static final String TRANSCRIPT = "transcript";
    static final String STT_EVENT = "stt.event";
    static final String STT_ERROR = "stt.error";
    private static final ObjectMapper JSON = Json.MAPPER;

    /** A call event type and its data (the sink name is added when published). */
    record Published(String type, Map<String, Object> data) {}

    private AiolaEvents() {}

    static Published map(SocketIoEvent event) {
        JsonNode arg = payload(event, 0);
        return switch (event.name()) {
            case "transcript" -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("text", transcriptText(arg));
                data.put("raw", plain(arg));
                yield new Published(TRANSCRIPT, data);
            }
            case "error" -> {
                Map<String, Object> data = new LinkedHashMap<>();
                String code = arg.isObject() ? arg.path("code").asText("") : "";
                if (!code.isEmpty()) {
                    data.put("code", code);
                }
                data.put("message", errorMessage(arg));
                data.put("raw", plain(arg));
                yield new Published(STT_ERROR, data);
            }
            default -> {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("event", event.name());
                data.put("data", event.args().size() > 1 ? plain(resolvedArgs(event)) : plain(arg));
                yield new Published(STT_EVENT, data);
            }
        };
    }

    /** Argument {@code index}, with a binary attachment or a JSON-in-a-string unwrapped. */
    static JsonNode payload(SocketIoEvent event, int index) {
        JsonNode node = event.arg(index);
        byte[] bytes = event.attachment(node);
        if (bytes != null) {
            node = TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
        if (node.isTextual()) {
            String s = node.asText().strip();
            if (s.startsWith("{") || s.startsWith("[")) {
                try {
                    JsonNode parsed = JSON.readTree(s);
                    if (parsed != null) {
                        return parsed;
                    }
                } catch (IOException e) {
                    // Not JSON after all: the string is the payload.
                }
            }
        }
        return node;
    }

    private static JsonNode resolvedArgs(SocketIoEvent event) {
        var array = JSON.createArrayNode();
        for (int i = 0; i < event.args().size(); i++) {
            array.add(payload(event, i));
        }
        return array;
    }

    static String transcriptText(JsonNode arg) {
        if (arg.isTextual()) {
            return arg.asText();
        }
        JsonNode t = arg.path("transcript");
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isObject() && t.path("text").isTextual()) {
            return t.path("text").asText();
        }
        JsonNode text = arg.path("text");
        return text.isTextual() ? text.asText() : "";
    }

    private static String errorMessage(JsonNode arg) {
        if (arg.isTextual()) {
            return arg.asText();
        }
        for (String field : new String[] {"message", "error", "detail", "reason"}) {
            JsonNode n = arg.path(field);
            if (n.isTextual()) {
                return n.asText();
            }
        }
        return arg.isMissingNode() ? "" : arg.toString();
    }

    /** JSON as plain Java values (maps, lists, strings, numbers), the only kind event data holds. */
    private static Object plain(JsonNode node) {
        return node.isMissingNode() ? null : JSON.convertValue(node, Object.class);
    }
}
