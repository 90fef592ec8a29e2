package dev.relay.core.config;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code relay.telephony}: the public WebSocket listener the telephony provider connects to.
 *
 * @param host bind address
 * @param port bind port (0 picks a free port, used by tests)
 * @param path upgrade path; {@code path/route} selects a route
 * @param registrationTimeoutMs close 1008 when no {@code connected} arrives within this
 * @param idleTimeoutMs close 1000 when no message arrives within this
 * @param maxMessageBytes larger messages close 1009
 * @param rawSampleRateHz sample rate of raw binary PCM16 streams
 * @param malformedThreshold malformed messages tolerated per call before closing 1002
 * @param authTokens accepted tokens; empty means the generated token (or none when {@code authOpen})
 * @param authOpen accept upgrades without a token when no tokens are configured (a private network)
 * @param authTokenFile where the generated token is kept between starts (used when no tokens are
 *     configured and {@code authOpen} is false)
 * @param tls TLS settings
 * @param maxConnections sockets beyond this are refused at accept time
 * @param closeTimeoutMs after a relay-initiated close frame, how long the socket keeps reading
 *     (and discarding) while waiting for the peer's close frame before closing TCP
 * @param pingIntervalMs the relay pings each caller this often; nothing heard for three intervals
 *     ends the call (1001, {@code peer_unresponsive}); 0 turns pings off
 * @param malformedWindowMs malformed messages are counted over a sliding window this long
 * @param duplicateCallId what a socket registering a callId already live on this node gets: refused
 *     (1008, the first socket keeps the call) or the call itself (the first socket is closed 1008)
 */
public record TelephonyConfig(
        String host,
        int port,
        String path,
        long registrationTimeoutMs,
        long idleTimeoutMs,
        int maxMessageBytes,
        int rawSampleRateHz,
        int malformedThreshold,
        List<String> authTokens,
        boolean authOpen,
        Path authTokenFile,
        Tls tls,
        int maxConnections,
        long closeTimeoutMs,
        long pingIntervalMs,
        long malformedWindowMs,
        DuplicateCallId duplicateCallId) {

    /** {@code relay.telephony.duplicate-call-id}. */
    public enum DuplicateCallId {
        /** The second socket is closed 1008; the live call stays on its socket (SPEC §4). */
        REJECT,
        /** The second socket takes the live call over; the first is closed 1008 (issue 13). */
        RESUME
    }

    /** This configuration with {@code tokens} as the accepted tokens (the generated one, at start). */
    public TelephonyConfig withAuthTokens(List<String> tokens) {
        return new TelephonyConfig(host, port, path, registrationTimeoutMs, idleTimeoutMs, maxMessageBytes,
                rawSampleRateHz, malformedThreshold, List.copyOf(tokens), authOpen, authTokenFile, tls,
                maxConnections, closeTimeoutMs, pingIntervalMs, malformedWindowMs, duplicateCallId);
    }

    /**
     * {@code relay.telephony.tls}.
     *
     * @param enabled serve {@code wss://}; {@code ws://} when false
     * @param certFile PEM certificate chain, or null to use a generated self-signed one
     * @param keyFile PEM PKCS#8 private key, with {@code certFile}
     * @param selfSignedDir where the generated self-signed keystore is kept between starts
     */
    public record Tls(boolean enabled, Path certFile, Path keyFile, Path selfSignedDir) {}

    static TelephonyConfig from(Settings s) {
        String path = s.nonEmptyString("path");
        if (!path.startsWith("/") || path.length() > 1 && path.endsWith("/")) {
            throw new ConfigError(s.key("path"), "must start with '/' and not end with '/', got '" + path + "'");
        }
        Settings tls = s.at("tls");
        String cert = tls.string("cert-file");
        String key = tls.string("key-file");
        if (cert.isBlank() != key.isBlank()) {
            throw new ConfigError(tls.key(cert.isBlank() ? "cert-file" : "key-file"),
                    "cert-file and key-file must be set together");
        }
        int rawRate = s.intIn("raw-sample-rate", 8000, 16000);
        if (rawRate != 8000 && rawRate != 16000) {
            throw new ConfigError(s.key("raw-sample-rate"), "must be 8000 or 16000, got " + rawRate);
        }
        return new TelephonyConfig(
                s.nonEmptyString("host"),
                s.intIn("port", 0, 65535),
                path,
                s.millisAtLeast("registration-timeout", 1),
                s.millisAtLeast("idle-timeout", 1),
                (int) s.bytesIn("max-message-bytes", 1024, 64L << 20),
                rawRate,
                s.intIn("malformed-threshold", 1, 1_000_000),
                s.strings("auth.tokens"),
                s.bool("auth.open"),
                Path.of(s.nonEmptyString("auth.token-file")),
                new Tls(
                        tls.bool("enabled"),
                        cert.isBlank() ? null : Path.of(cert),
                        key.isBlank() ? null : Path.of(key),
                        Path.of(tls.nonEmptyString("self-signed-dir"))),
                s.intIn("max-connections", 1, 10_000_000),
                s.millisAtLeast("close-timeout", 1),
                s.millisAtLeast("ping-interval", 0),
                s.millisAtLeast("malformed-window", 1),
                s.enumValue("duplicate-call-id", DuplicateCallId.class));
    }
}
