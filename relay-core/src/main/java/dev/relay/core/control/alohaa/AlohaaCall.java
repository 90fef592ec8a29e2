package dev.relay.core.control.alohaa;

/**
 * Alohaa's answer to a successful {@code POST /v1/voice-stream/call}: the call is being set up
 * and will connect its media WebSocket under {@code callId}.
 *
 * @param callId the provider's call id, later sent in the WebSocket {@code connected} event
 * @param status e.g. {@code initiated}
 * @param message e.g. {@code Call setup in progress}
 */
public record AlohaaCall(String callId, String status, String message) {}
