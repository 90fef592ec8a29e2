package dev.relay.core.socketio;

import io.netty.handler.ssl.SslContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Where and how one Socket.IO connection connects.
 *
 * @param server {@code http(s)://} or {@code ws(s)://} host and port, no path
 * @param path the Engine.IO path, e.g. {@code /socket.io/} (a trailing slash is added when missing,
 *     as the JavaScript client does; servers match the prefix with it)
 * @param query extra query parameters, in order, besides {@code EIO=4&transport=websocket}
 * @param headers extra upgrade request headers, e.g. {@code Authorization}
 * @param namespace the namespace to join, e.g. {@code /events}
 * @param authJson the CONNECT packet's auth object as JSON, or null for none
 * @param connectTimeoutMs from TCP connect to the namespace's CONNECT answer
 * @param ssl client TLS context for {@code https}/{@code wss}, or null for plain
 * @param maxFrameBytes largest frame (or aggregated message) accepted from the server
 */
public record SocketIoOptions(URI server, String path, Map<String, String> query, Map<String, String> headers,
        String namespace, String authJson, long connectTimeoutMs, SslContext ssl, int maxFrameBytes) {

    public SocketIoOptions {
        if (secure(server) && ssl == null) {
            throw new IllegalArgumentException("TLS context required for " + server);
        }
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** True for {@code https} and {@code wss}. */
    public static boolean secure(URI server) {
        String s = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        return s.equals("https") || s.equals("wss");
    }

    public String host() {
        return server.getHost();
    }

    public int port() {
        return server.getPort() > 0 ? server.getPort() : secure(server) ? 443 : 80;
    }

    /** The WebSocket URI of the upgrade: {@code ws(s)://host:port/path/?EIO=4&transport=websocket&…}. */
    public URI webSocketUri() {
        StringBuilder sb = new StringBuilder(secure(server) ? "wss://" : "ws://");
        String host = host();
        sb.append(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host);
        sb.append(':').append(port()).append(path).append("?EIO=4&transport=websocket");
        for (Map.Entry<String, String> e : query.entrySet()) {
            sb.append('&').append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        return URI.create(sb.toString());
    }

    /** Query component encoding with {@code %20} for spaces (some servers read {@code +} literally). */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
