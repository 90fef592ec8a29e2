package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.util.Base64;

/**
 * The JWT one aiOla connection authenticates with and, when it came from the API key exchange,
 * the id under which aiOla keeps it (aiOla calls that a session: {@code /voip-auth/session}; here
 * it is only ever the token's id, so that "session" names the session-stream sink's resource).
 *
 * @param jwt sent as {@code Authorization: Bearer} and as the {@code x-aiola-api-token} query parameter
 * @param sessionId aiOla's session id, or null for a configured token (nothing to delete at the end)
 * @param expiresAtMillis the JWT's {@code exp} in epoch milliseconds, or {@link Long#MAX_VALUE} when
 *     it has none (or is not a JWT we can read: aiOla decides, not us)
 */
public record AiolaToken(String jwt, String sessionId, long expiresAtMillis) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** A configured token: never deleted, expiry read from the JWT when possible. */
    static AiolaToken configured(String jwt) {
        return new AiolaToken(jwt, null, expiryMillis(jwt));
    }

    /** True when the token came from the exchange and should be revoked when done with. */
    public boolean exchanged() {
        return sessionId != null;
    }

    /** True when the JWT expires within {@code marginMs} of {@code nowMillis}. */
    public boolean expiresWithin(long marginMs, long nowMillis) {
        return expiresAtMillis != Long.MAX_VALUE && expiresAtMillis - marginMs <= nowMillis;
    }

    /** The {@code exp} claim of a JWT in epoch milliseconds, or {@link Long#MAX_VALUE}. */
    static long expiryMillis(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return Long.MAX_VALUE;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode exp = claims == null ? null : claims.get("exp");
            if (exp == null || !exp.isNumber() || exp.asLong() <= 0 || exp.asLong() > Long.MAX_VALUE / 1000) {
                return Long.MAX_VALUE;
            }
            return exp.asLong() * 1000;
        } catch (IOException | IllegalArgumentException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        // Never the JWT itself: records print their fields in logs.
        return "AiolaToken[sessionId=" + sessionId + ", expiresAtMillis=" + expiresAtMillis + "]";
    }
}
