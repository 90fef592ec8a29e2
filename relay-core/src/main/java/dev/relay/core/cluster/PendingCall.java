package dev.relay.core.cluster;

/**
 * An outbound call started through the control API and not yet connected, kept in the cluster so
 * that whichever node receives its WebSocket places it on the route chosen when it was started.
 *
 * @param route route name
 * @param webhookUrl the lifecycle webhook handed to the provider, or null
 */
public record PendingCall(String route, String webhookUrl) {
    public PendingCall {
        if (route == null || route.isEmpty()) {
            throw new IllegalArgumentException("route is required");
        }
    }
}
