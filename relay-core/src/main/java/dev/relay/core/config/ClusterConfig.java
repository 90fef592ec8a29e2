package dev.relay.core.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code relay.cluster} (SPEC §8.3): whether this relay shares its control plane with others
 * through Redis, and how it presents itself to them. Immutable.
 *
 * @param enabled false: the relay is a cluster of one and never talks to Redis
 * @param redisUrl {@code redis://host[:port][/db]} or {@code rediss://…} (TLS); user and password
 *     may be in the URL, but {@code redisPassword} wins when set
 * @param redisPassword from {@code RELAY_REDIS_PASSWORD} ({@link RelayConfig#SECRET_ENV}); empty:
 *     none, or the URL's own
 * @param nodeId this node's name in the cluster, {@code [A-Za-z0-9._-]{1,64}}; derived as
 *     {@code <hostname>-<telephony port>} when the file leaves it empty, or left empty when the
 *     telephony port is 0 (then {@code node.NodeIdentities} derives it from the bound port at start)
 * @param controlUrl how other nodes reach this node's control API, e.g. {@code http://10.0.0.5:8081};
 *     empty: derived from the control listener's bound address once it is up
 *     ({@link #controlUrlFor})
 * @param heartbeatMs period of the node's heartbeat; its key expires after three missed beats
 * @param commandTimeoutMs longest wait for one Redis reply before an operation answers "unavailable"
 */
public record ClusterConfig(
        boolean enabled,
        String redisUrl,
        String redisPassword,
        String nodeId,
        String controlUrl,
        long heartbeatMs,
        long commandTimeoutMs) {

    /** Characters a node id may hold: it becomes part of Redis key names, so no ':' or spaces. */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    static ClusterConfig from(Settings s, int telephonyPort) {
        String redisUrl = s.nonEmptyString("redis-url");
        checkRedisUrl(s.key("redis-url"), redisUrl);
        String nodeId = s.string("node-id");
        if (nodeId.isEmpty()) {
            nodeId = telephonyPort == 0 ? "" : derivedNodeId(localHostname(), telephonyPort);
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            throw new ConfigError(s.key("node-id"), "must be 1-64 of [A-Za-z0-9._-], got '" + nodeId + "'");
        }
        String controlUrl = s.string("control-url");
        if (!controlUrl.isEmpty()) {
            checkControlUrl(s.key("control-url"), controlUrl);
        }
        return new ClusterConfig(
                s.bool("enabled"),
                redisUrl,
                s.string("redis-password"),
                nodeId,
                controlUrl,
                s.millisAtLeast("heartbeat", 100),
                s.millisAtLeast("command-timeout", 10));
    }

    /** How long a node's heartbeat key lives: three beats. */
    public long heartbeatTtlMs() {
        return 3 * heartbeatMs;
    }

    /**
     * The control URL other nodes use: {@link #controlUrl()} when set, else {@code http://host:port}
     * of the bound control listener, where a wildcard bind address (0.0.0.0, ::) becomes this host's
     * name, since other hosts cannot dial a wildcard.
     */
    public String controlUrlFor(InetSocketAddress bound) {
        if (!controlUrl.isEmpty()) {
            return controlUrl;
        }
        InetAddress address = bound.getAddress();
        String host = address == null ? bound.getHostString()
                : address.isAnyLocalAddress() ? localHostname() : address.getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + bound.getPort();
    }

    /** {@code <hostname>-<port>}, the hostname cut to the characters a node id may hold. */
    public static String derivedNodeId(String hostname, int telephonyPort) {
        String host = hostname.replaceAll("[^A-Za-z0-9._-]", "-");
        String suffix = "-" + telephonyPort;
        if (host.isEmpty()) {
            host = "relay";
        }
        return host.length() + suffix.length() > 64 ? host.substring(0, 64 - suffix.length()) + suffix : host + suffix;
    }

    /**
     * This host's name. The kernel's own name first: unlike {@link InetAddress#getLocalHost()} it
     * never waits for a DNS lookup.
     */
    public static String localHostname() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.US_ASCII).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException e) {
            // fall through to the JDK's answer
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void checkRedisUrl(String key, String url) {
        URI uri = parse(key, url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new ConfigError(key, "must be redis://host[:port][/db] or rediss://…, got '" + url + "'");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new ConfigError(key, "has no host: '" + url + "'");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (!path.isEmpty() && !path.equals("/") && !path.matches("/[0-9]{1,5}")) {
            throw new ConfigError(key, "path must be a database number, got '" + path + "'");
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new ConfigError(key, "takes no query or fragment: '" + url + "'");
        }
    }

    private static void checkControlUrl(String key, String url) {
        URI uri = parse(key, url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new ConfigError(key, "must be http(s)://host[:port], got '" + url + "'");
        }
    }

    private static URI parse(String key, String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigError(key, "not a URL: " + e.getMessage());
        }
    }
}
