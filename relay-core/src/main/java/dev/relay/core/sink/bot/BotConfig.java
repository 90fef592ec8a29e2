package dev.relay.core.sink.bot;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.Settings;
import dev.relay.core.config.StreamConfig;
import dev.relay.core.sink.WireAudio;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code relay.sinks.media-stream}: the bidirectional bot stream (SPEC §5.3).
 *
 * @param url the bot's {@code ws://} or {@code wss://} URL; null when not configured (the sink is then
 *     unusable, which is only an error when a route names it)
 * @param encoding what travels in both directions
 * @param chunkMs caller audio per {@code media} message
 * @param token sent on the upgrade request in {@code tokenHeader} when non-empty
 * @param tokenHeader header carrying {@code token}; {@code Authorization} gets a {@code Bearer } prefix
 * @param caFile PEM certificates trusted for {@code wss://} instead of the JDK's; null for the JDK's
 * @param maxMessageBytes largest message accepted from the bot (larger closes the connection with 1009)
 * @param playLingerMs how long bot audio is collected after its first byte before it is handed to the
 *     call as one outbound message; 0 hands over what each read burst brought
 * @param pingIntervalMs WebSocket ping period; a connection that brings nothing, not even a pong, for
 *     three periods is taken for dead and replaced; 0 sends no pings
 * @param stream the keys every network sink has
 */
public record BotConfig(URI url, Encoding encoding, int chunkMs, String token, String tokenHeader,
        Path caFile, int maxMessageBytes, long playLingerMs, long pingIntervalMs, StreamConfig stream) {

    /** The two formats of the Media Streams envelope the relay speaks (SPEC §4.2). */
    public enum Encoding {
        /** G.711 μ-law, 8 kHz, {@code audio/x-mulaw}. */
        MULAW("audio/x-mulaw", 8000, WireAudio.ULAW_8K),
        /** Linear PCM16, 16 kHz, {@code audio/l16}: big-endian, as RFC 3551 defines L16. */
        L16("audio/l16", 16000, WireAudio.PCM16_16K);

        private final String mediaType;
        private final int sampleRateHz;
        private final WireAudio wire;

        Encoding(String mediaType, int sampleRateHz, WireAudio wire) {
            this.mediaType = mediaType;
            this.sampleRateHz = sampleRateHz;
            this.wire = wire;
        }

        /** {@code mediaFormat.encoding}. */
        public String mediaType() {
            return mediaType;
        }

        public int sampleRateHz() {
            return sampleRateHz;
        }

        /** The queued chunk format (PCM16 chunks are little-endian; the sink swaps them to L16's order). */
        public WireAudio wire() {
            return wire;
        }
    }

    /** Reads and validates {@code relay.sinks.media-stream}; a blank url gives {@code url == null}. */
    public static BotConfig from(Settings s) {
        String rawUrl = s.string("url").strip();
        URI url = rawUrl.isEmpty() ? null : parseUrl(s, rawUrl);
        String ca = s.string("tls.ca-file").strip();
        Path caFile = ca.isEmpty() ? null : Path.of(ca);
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new ConfigError(s.key("tls.ca-file"), "cannot read " + caFile);
        }
        String header = s.string("token-header").strip();
        if (!header.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            throw new ConfigError(s.key("token-header"), "not an HTTP header name: '" + header + "'");
        }
        String token = s.string("token");
        if (token.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw new ConfigError(s.key("token"), "contains control characters");
        }
        return new BotConfig(
                url,
                s.enumValue("encoding", Encoding.class),
                s.intIn("chunk-ms", 10, 1000),
                token,
                header,
                caFile,
                (int) s.bytesIn("max-message-bytes", 1024, 64L << 20),
                s.millisAtLeast("play-linger", 0),
                s.millisAtLeast("ping-interval", 0),
                StreamConfig.from(s));
    }

    private static URI parseUrl(Settings s, String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigError(s.key("url"), "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new ConfigError(s.key("url"), "must be ws:// or wss://, got '" + raw + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigError(s.key("url"), "has no host: '" + raw + "'");
        }
        return uri;
    }

    /** True for {@code wss://}. */
    public boolean tls() {
        return url != null && url.getScheme().equalsIgnoreCase("wss");
    }

    /** The URL's port, or the scheme's default. */
    public int port() {
        int p = url.getPort();
        return p > 0 ? p : tls() ? 443 : 80;
    }

    /** The value of {@link #tokenHeader()}, or null when there is no token. */
    public String tokenValue() {
        if (token.isEmpty()) {
            return null;
        }
        return tokenHeader.equalsIgnoreCase("Authorization") ? "Bearer " + token : token;
    }
}
