package dev.relay.core.config;

/**
 * {@code relay.events}: where call events go besides the events WebSocket.
 *
 * @param webhookUrl POST every event here; empty disables
 * @param webhookQueue events buffered for the webhook before the oldest are dropped
 * @param subscriberQueue events buffered per events-WebSocket subscriber before it is dropped
 */
public record EventsConfig(String webhookUrl, int webhookQueue, int subscriberQueue) {

    static EventsConfig from(Settings s) {
        return new EventsConfig(
                s.string("webhook-url"),
                s.intIn("webhook-queue", 1, 1_000_000),
                s.intIn("subscriber-queue", 1, 1_000_000));
    }
}
