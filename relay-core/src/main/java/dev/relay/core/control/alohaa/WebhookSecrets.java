package dev.relay.core.control.alohaa;

import dev.relay.core.config.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-call secrets the relay gives Alohaa in {@code webhook_details} ({@code api_key} /
 * {@code api_value}) when it places a call, so that the call's lifecycle webhooks are accepted
 * without a configured token and strangers' are not.
 *
 * <p><b>Self-verifying, so any node can check them.</b> A secret is
 * {@code v1.<expiry, epoch s, hex>.<128 random bits>.<HMAC-SHA256 of the first three parts>},
 * keyed by a key derived from a seed every node of a fleet has (the control token, required in
 * cluster mode). A webhook may reach any node behind the balancer; a secret stored with the
 * pending call would need Redis on the webhook path and would be gone once the call registered,
 * while webhooks keep coming until the call ends. The secret cannot be bound to the callId: Alohaa
 * assigns the id only in its answer to the request that carries the secret. It is unique per
 * call, expires after {@link #LIFETIME_MS}, and only Alohaa is ever given it.
 *
 * <p>Thread-safe ({@link Mac} instances are per call of the methods).
 */
public final class WebhookSecrets {
    /** The header name handed to Alohaa as {@code api_key}; the secret is its value. */
    public static final String HEADER = "X-Relay-Webhook-Secret";
    /** How long a call's webhooks are accepted after it was placed. */
    public static final long LIFETIME_MS = TimeUnit.HOURS.toMillis(48);
    private static final String VERSION = "v1";
    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] key;
    private final LongSupplier epochMillis;
    private final SecureRandom random = new SecureRandom();

    /** @param seed a secret every node shares (the control token), or any secret on a single node */
    public WebhookSecrets(String seed) {
        this(seed, System::currentTimeMillis);
    }

    /** @param epochMillis wall clock in ms (tests pass an adjustable one) */
    public WebhookSecrets(String seed, LongSupplier epochMillis) {
        if (seed == null || seed.isEmpty()) {
            throw new IllegalArgumentException("seed is required");
        }
        // A key of its own, so the control token itself never enters a secret's MAC input as-is.
        this.key = mac(seed.getBytes(StandardCharsets.UTF_8), "relay alohaa webhook secret v1");
        this.epochMillis = epochMillis;
    }

    /**
     * The secrets of a relay that places calls ({@code relay.alohaa.api-key} set), or null when it
     * places none. Seeded by the control token, which every node of a fleet shares; else by the
     * media port's token (configured or generated: kept across restarts); else, on an open port
     * with no control token, by a random seed, so secrets then last until the relay restarts.
     */
    public static WebhookSecrets forRelay(RelayConfig config) {
        if (config.alohaa().apiKey().isEmpty()) {
            return null;
        }
        String seed = config.control().token();
        if (seed.isEmpty() && !config.telephony().authTokens().isEmpty()) {
            seed = config.telephony().authTokens().get(0);
        }
        if (seed.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            seed = b64(random);
        }
        return new WebhookSecrets(seed);
    }

    /** A new secret for one call. */
    public String issue() {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        long expiry = TimeUnit.MILLISECONDS.toSeconds(epochMillis.getAsLong() + LIFETIME_MS);
        String body = VERSION + "." + Long.toHexString(expiry) + "." + b64(nonce);
        return body + "." + b64(mac(key, body));
    }

    /** True when {@code presented} is a secret this relay (or a node with the same seed) issued, unexpired. */
    public boolean verify(String presented) {
        if (presented == null) {
            return false;
        }
        int lastDot = presented.lastIndexOf('.');
        String[] parts = presented.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals(VERSION)) {
            return false;
        }
        byte[] expected = b64(mac(key, presented.substring(0, lastDot))).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[3].getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        try {
            long expirySeconds = Long.parseLong(parts[1], 16);
            return TimeUnit.MILLISECONDS.toSeconds(epochMillis.getAsLong()) <= expirySeconds;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] mac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " unavailable", e);
        }
    }
}
