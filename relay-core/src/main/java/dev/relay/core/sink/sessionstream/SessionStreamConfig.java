package dev.relay.core.sink.sessionstream;

import com.typesafe.config.ConfigRenderOptions;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.Settings;
import dev.relay.core.config.StreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/**
 * {@code relay.sinks.session-stream}: the session ingest API (SPEC §5.2).
 *
 * @param baseUrl {@code http(s)://host[:port][/prefix]} the {@code /voice/v1/sessions} paths hang off;
 *     empty when not configured
 * @param apiKey sent in {@link #apiKeyHeader} on every REST call (never on the upload socket); from
 *     {@code RELAY_SESSION_STREAM_API_KEY}
 * @param apiKeyHeader header name carrying the key ({@code x-api-key}; the seed does not name one)
 * @param wire raw binary frames or the JSON envelope
 * @param envelopeEncoding {@code start.mediaFormat.encoding} in the envelope
 * @param chunkMs audio per WebSocket message
 * @param createBodyJson extra fields merged into the create-session body, as a JSON object text
 * @param callIdField when non-empty, the call id is also sent in the create body under this name
 * @param httpTimeoutMs limit for one REST exchange (connect, answer and body)
 * @param endRetries extra {@code end} attempts after a 5xx or transport failure
 * @param resultPollIntervalMs pause between {@code GET} polls while the session answers 202
 * @param resultDeadlineMs from the first {@code end}, how long results are polled for
 * @param stream queue, connect and reconnect settings every network sink has
 */
public record SessionStreamConfig(
        String baseUrl,
        String apiKey,
        String apiKeyHeader,
        Wire wire,
        String envelopeEncoding,
        int chunkMs,
        String createBodyJson,
        String callIdField,
        long httpTimeoutMs,
        int endRetries,
        long resultPollIntervalMs,
        long resultDeadlineMs,
        StreamConfig stream) {

    /** How audio goes over the upload socket. */
    public enum Wire {
        /** Binary WebSocket frames of PCM16 LE 16 kHz mono. */
        RAW,
        /** Text frames of the Media Streams envelope: {@code start}, {@code media} (base64), {@code stop}. */
        ENVELOPE
    }

    /** The sink name routes use. */
    public static final String NAME = "session-stream";

    /** Reads {@code relay.sinks.session-stream}. */
    public static SessionStreamConfig from(Settings s) {
        String baseUrl = s.string("base-url").trim();
        if (!baseUrl.isEmpty()) {
            checkBaseUrl(s.key("base-url"), baseUrl);
        }
        String header = s.nonEmptyString("api-key-header");
        if (!header.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new ConfigError(s.key("api-key-header"), "not a valid HTTP header name: '" + header + "'");
        }
        int chunkMs = s.intIn("chunk-ms", 20, 1000);
        if (chunkMs % 20 != 0) {
            throw new ConfigError(s.key("chunk-ms"), "must be a multiple of 20 (the pipeline's frame), got " + chunkMs);
        }
        Map<String, Object> extra = s.at("create-body").raw().root().unwrapped();
        if (extra.containsKey("upload_type")) {
            throw new ConfigError(s.key("create-body.upload_type"), "is always \"stream\"; remove it");
        }
        return new SessionStreamConfig(
                baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl,
                s.string("api-key"),
                header,
                s.enumValue("wire", Wire.class),
                s.nonEmptyString("envelope-encoding"),
                chunkMs,
                s.at("create-body").raw().root().render(ConfigRenderOptions.concise()),
                s.string("call-id-field"),
                s.millisAtLeast("http-timeout", 1),
                s.intIn("end-retries", 0, 20),
                s.millisAtLeast("result-poll-interval", 1),
                s.millisAtLeast("result-deadline", 0),
                StreamConfig.from(s));
    }

    /** True once a base URL is set. */
    public boolean configured() {
        return !baseUrl.isEmpty();
    }

    private static void checkBaseUrl(String key, String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigError(key, "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ConfigError(key, "must be an http:// or https:// URL with a host, got '" + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigError(key, "must not have a query or fragment, got '" + url + "'");
        }
    }
}
