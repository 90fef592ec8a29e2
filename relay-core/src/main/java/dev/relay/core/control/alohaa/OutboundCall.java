package dev.relay.core.control.alohaa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Json;
import java.nio.charset.StandardCharsets;

/**
 * The body of Alohaa's {@code POST /v1/voice-stream/call}, already validated.
 *
 * @param mobileNumber the callee, 10 digits
 * @param did the number to call from, 10 digits
 * @param wsUrl where Alohaa connects the call's media WebSocket
 * @param webhook lifecycle webhook, or null
 */
public record OutboundCall(String mobileNumber, String did, String wsUrl, WebhookDetails webhook) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The request body; {@code webhook_details} is a string holding JSON, as Alohaa requires. */
    public byte[] toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("mobile_number", mobileNumber);
        o.put("did", did);
        o.put("ws_url", wsUrl);
        if (webhook != null) {
            o.put("webhook_details", webhook.toJsonString());
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}
