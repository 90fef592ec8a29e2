package dev.relay.core.config;

/**
 * {@code relay.alohaa}: the provider's REST API for outbound calls and its webhooks (SPEC §6).
 *
 * @param baseUrl REST base, e.g. {@code https://voice-stream.alohaa.ai}
 * @param apiKey {@code x-metro-api-key} ({@code RELAY_ALOHAA_API_KEY}); empty disables outbound calls
 * @param publicMediaUrl this relay's public media URL handed to Alohaa as {@code ws_url}
 * @param requestTimeoutMs REST call timeout (→ 504)
 * @param webhookToken token the provider's lifecycle webhooks must carry; empty accepts any
 */
public record AlohaaConfig(String baseUrl, String apiKey, String publicMediaUrl, long requestTimeoutMs,
        String webhookToken) {

    static AlohaaConfig from(Settings s) {
        return new AlohaaConfig(
                s.nonEmptyString("base-url"),
                s.string("api-key"),
                s.string("public-media-url"),
                s.millisAtLeast("request-timeout", 1),
                s.string("webhook-token"));
    }
}
