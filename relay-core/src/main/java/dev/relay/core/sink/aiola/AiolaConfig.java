package dev.relay.core.sink.aiola;

import com.typesafe.config.Config;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;
import dev.relay.core.config.StreamConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code relay.sinks.aiola}: aiOla streaming speech-to-text over Socket.IO (SPEC §5.1).
 *
 * @param url aiOla's API host, {@code https://apis.aiola.ai} (no path: the namespace is separate)
 * @param path the Socket.IO path, {@code /api/voice-streaming/socket.io/}
 * @param namespace the Socket.IO namespace, {@code /events} (every official SDK; the seed says {@code /event})
 * @param transport {@code websocket}: the relay's own client on the call's loop; {@code polling} (or
 *     {@code all}: polling, upgraded to WebSocket when possible) through socket.io-client-java
 * @param token a configured JWT ({@code RELAY_AIOLA_TOKEN}); when empty, {@code apiKey} is exchanged for one
 * @param apiKey aiOla API key for the token exchange, or empty
 * @param authUrl the token exchange's host, {@code https://auth.aiola.ai}
 * @param workflowId {@code workflow_id} of the session request; empty: the call's flow id
 * @param tokenRefreshMs a connect attempt renews a session JWT that expires within this
 * @param defaults the stream parameters of every route without overrides
 * @param routes per-route stream parameters (route name → parameters, with the defaults filled in)
 * @param chunkMs audio per {@code binary_data} emit (20 ms steps)
 * @param closeLingerMs at the end, how long the stream stays open after the last audio is written
 *     (for the last transcripts) before it leaves the namespace; 0 leaves at once
 * @param stream the queue / reconnect / flush settings every network sink has
 * @param routed true when some route names {@code aiola} (otherwise nothing is set up for it)
 */
public record AiolaConfig(URI url, String path, String namespace, AiolaTransport transport, String token,
        String apiKey, URI authUrl, String workflowId, long tokenRefreshMs, AiolaStreamParams defaults,
        Map<String, AiolaStreamParams> routes, int chunkMs, long closeLingerMs, StreamConfig stream, boolean routed) {

    /** Values of {@code relay.sinks.aiola.transport}. */
    public enum AiolaTransport {
        WEBSOCKET,
        POLLING,
        ALL
    }

    public static final String KEY = "relay.sinks.aiola";

    /** Reads and validates {@code relay.sinks.aiola} of {@code relay}, checking its routes too. */
    public static AiolaConfig from(RelayConfig relay) {
        return from(relay.raw(), relay.routes());
    }

    static AiolaConfig from(Config merged, Map<String, List<String>> relayRoutes) {
        Settings s = new Settings(merged, "").at("relay").at("sinks").at("aiola");
        AiolaTransport transport = s.enumValue("transport", AiolaTransport.class);
        int chunkMs = s.intIn("chunk-ms", 20, 1000);
        if (chunkMs % 20 != 0) {
            throw new ConfigError(s.key("chunk-ms"),
                    "must be a multiple of 20 (the call's frame size), got " + chunkMs);
        }
        String token = s.string("token").strip();
        String apiKey = s.string("api-key").strip();
        List<String> using = new ArrayList<>();
        relayRoutes.forEach((route, sinks) -> {
            if (sinks.contains("aiola")) {
                using.add(route);
            }
        });
        if (!using.isEmpty() && token.isEmpty() && apiKey.isEmpty()) {
            throw new ConfigError(s.key("token"), "missing: route " + using.get(0)
                    + " uses aiola; set RELAY_AIOLA_TOKEN (a JWT) or " + s.key("api-key"));
        }
        AiolaStreamParams defaults = AiolaStreamParams.from(s);
        return new AiolaConfig(
                serverUrl(s, "url"),
                path(s),
                namespace(s),
                transport,
                token,
                apiKey,
                serverUrl(s, "auth-url"),
                s.string("workflow-id").strip(),
                s.millisAtLeast("token-refresh", 0),
                defaults,
                routes(s, relayRoutes),
                chunkMs,
                s.millisAtLeast("close-linger", 0),
                StreamConfig.from(s),
                !using.isEmpty());
    }

    /** The stream parameters of {@code route}: its overrides, else the defaults. */
    public AiolaStreamParams params(String route) {
        return routes.getOrDefault(route, defaults);
    }

    /** The {@code workflow_id} of a session for a call with {@code params}. */
    public String workflowFor(AiolaStreamParams params) {
        return workflowId.isEmpty() ? params.flowId() : workflowId;
    }

    /** True when the JWT comes from the API key exchange rather than configuration. */
    public boolean exchangesApiKey() {
        return token.isEmpty() && !apiKey.isEmpty();
    }

    private static URI serverUrl(Settings s, String key) {
        String raw = s.nonEmptyString(key).strip();
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ConfigError(s.key(key), "not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean socket = key.equals("url");
        if (!(scheme.equals("http") || scheme.equals("https") || socket && (scheme.equals("ws")
                || scheme.equals("wss")))) {
            throw new ConfigError(s.key(key),
                    "must be an http(s)" + (socket ? " or ws(s)" : "") + " URL, got '" + raw + "'");
        }
        if (uri.getHost() == null) {
            throw new ConfigError(s.key(key), "has no host: '" + raw + "'");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (socket && !(path.isEmpty() || path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new ConfigError(s.key(key), "must be scheme://host[:port] only"
                    + (socket ? " (the Socket.IO path and namespace have their own keys)" : "") + ", got '" + raw
                    + "'");
        }
        if (!socket && path.endsWith("/")) {
            uri = URI.create(raw.substring(0, raw.length() - 1));
        }
        return uri;
    }

    private static String path(Settings s) {
        String path = s.nonEmptyString("path").strip();
        if (!path.startsWith("/") || path.contains("?") || path.contains("#") || path.contains(" ")) {
            throw new ConfigError(s.key("path"), "must be an absolute path like /api/voice-streaming/socket.io/");
        }
        return path.endsWith("/") ? path : path + "/";
    }

    private static String namespace(Settings s) {
        String ns = s.nonEmptyString("namespace").strip();
        if (!ns.startsWith("/") || ns.contains(",") || ns.contains("?") || !ns.chars().allMatch(c -> c > 0x20
                && c < 0x7F)) {
            throw new ConfigError(s.key("namespace"), "must be a Socket.IO namespace like /events");
        }
        return ns;
    }

    private static Map<String, AiolaStreamParams> routes(Settings s, Map<String, List<String>> relayRoutes) {
        if (!s.has("routes")) {
            return Map.of();
        }
        Settings routes = s.at("routes");
        Map<String, AiolaStreamParams> out = new LinkedHashMap<>();
        for (String route : routes.raw().root().keySet()) {
            String key = routes.key(route);
            if (!relayRoutes.containsKey(route)) {
                throw new ConfigError(key, "no such route in relay.routes " + relayRoutes.keySet());
            }
            Settings overrides = routes.at(route);
            // A route's value replaces the default whole (no HOCON object merge of keywords).
            Config merged = s.raw();
            for (String k : overrides.raw().root().keySet()) {
                if (!AiolaStreamParams.KEYS.contains(k)) {
                    throw new ConfigError(overrides.key(k), "unknown key; a route may set " + AiolaStreamParams.KEYS);
                }
                merged = merged.withValue(k, overrides.raw().getValue(k));
            }
            out.put(route, AiolaStreamParams.from(new Settings(merged, key)));
        }
        return Collections.unmodifiableMap(out);
    }
}
