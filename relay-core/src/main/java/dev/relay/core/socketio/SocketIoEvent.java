package dev.relay.core.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.util.List;

/**
 * An event the server emitted on the connection's namespace.
 *
 * @param name the event name (first element of the packet's array)
 * @param args the remaining arguments, as a JSON array (binary arguments stay placeholders
 *     {@code {"_placeholder":true,"num":n}} whose bytes are {@code attachments.get(n)})
 * @param ackId the id the server wants acknowledged, or -1; the connection answers it with an
 *     empty ack after the listener returns
 * @param attachments binary arguments, copied out of the frames (rare: aiOla sends JSON)
 */
public record SocketIoEvent(String name, JsonNode args, long ackId, List<byte[]> attachments) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The event an EVENT or BINARY_EVENT packet carries: a JSON array, its name first. */
    static SocketIoEvent of(SocketIoPacket p, List<byte[]> attachments) throws SocketIoProtocolException {
        JsonNode root = json(p.json());
        if (!(root instanceof ArrayNode array) || array.isEmpty() || !(array.get(0).isTextual()
                || array.get(0).isNumber())) {
            throw new SocketIoProtocolException("event without a name");
        }
        String name = array.remove(0).asText();
        return new SocketIoEvent(name, array, p.ackId(), attachments);
    }

    /** Parses a packet's JSON payload. */
    static JsonNode json(String text) throws SocketIoProtocolException {
        try {
            JsonNode node = text == null ? null : JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new SocketIoProtocolException("empty JSON payload");
            }
            return node;
        } catch (IOException e) {
            throw new SocketIoProtocolException("payload is not JSON: " + Excerpts.excerpt(text));
        }
    }

    /** The argument at {@code index}, or a missing node. */
    public JsonNode arg(int index) {
        return args.path(index);
    }

    /** The bytes behind a placeholder argument, or null when {@code node} is not one. */
    public byte[] attachment(JsonNode node) {
        if (node != null && node.isObject() && node.path("_placeholder").asBoolean(false)) {
            int num = node.path("num").asInt(-1);
            if (num >= 0 && num < attachments.size()) {
                return attachments.get(num);
            }
        }
        return null;
    }
}
