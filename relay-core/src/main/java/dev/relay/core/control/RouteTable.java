package dev.relay.core.control;

import dev.relay.core.net.http.ControlRoute;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches a method and path against the routes' patterns: literal segments and {@code {name}}
 * placeholders, each standing for one non-empty segment. When several patterns match, the one
 * with more literal segments wins, so {@code /v1/calls/active} could sit beside
 * {@code /v1/calls/{callId}}. Immutable, thread-safe.
 */
final class RouteTable {
    /** The outcome of a lookup: a route with its path parameters, or the error to answer with. */
    record Lookup(ControlRoute route, Map<String, String> params, Set<String> allowed) {
        boolean found() {
            return route != null;
        }

        /** True when the path exists under other methods (405), false when it does not (404). */
        boolean methodNotAllowed() {
            return route == null && !allowed.isEmpty();
        }
    }

    private record Entry(ControlRoute route, String[] segments, int literals) {}

    private final List<Entry> entries = new ArrayList<>();

    RouteTable(List<? extends ControlRoute> routes) {
        for (ControlRoute route : routes) {
            String pattern = route.pattern();
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("route pattern must start with '/': " + pattern);
            }
            String[] segments = split(pattern);
            int literals = 0;
            for (String s : segments) {
                if (!isPlaceholder(s)) {
                    literals++;
                }
            }
            for (Entry e : entries) {
                if (e.route.method().equals(route.method()) && String.join("/", e.segments).equals(String.join("/",
                        segments))) {
                    throw new IllegalArgumentException("duplicate route " + route.method() + " " + pattern);
                }
            }
            entries.add(new Entry(route, segments, literals));
        }
    }

    /**
     * @param method upper-case HTTP method
     * @param rawPath the request path as sent (still percent-encoded); segments are decoded after
     *     splitting, so an encoded {@code %2F} stays inside its segment
     */
    Lookup lookup(String method, String rawPath) {
        String[] segments = split(rawPath);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = QueryStringDecoder.decodeComponent(segments[i]);
        }
        Entry best = null;
        Set<String> allowed = new TreeSet<>();
        for (Entry e : entries) {
            if (!matches(e.segments, segments)) {
                continue;
            }
            allowed.add(e.route.method());
            if (e.route.method().equals(method) && (best == null || e.literals > best.literals)) {
                best = e;
            }
        }
        if (best == null) {
            return new Lookup(null, Map.of(), allowed);
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.length; i++) {
            if (isPlaceholder(best.segments[i])) {
                String p = best.segments[i];
                params.put(p.substring(1, p.length() - 1), segments[i]);
            }
        }
        return new Lookup(best.route, Map.copyOf(params), allowed);
    }

    private static boolean matches(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return false;
        }
        for (int i = 0; i < pattern.length; i++) {
            if (isPlaceholder(pattern[i]) ? path[i].isEmpty() : !pattern[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlaceholder(String segment) {
        return segment.length() > 2 && segment.charAt(0) == '{' && segment.charAt(segment.length() - 1) == '}';
    }

    /** Segments after the leading '/'; "/" is one empty segment, and a trailing '/' adds one. */
    private static String[] split(String path) {
        return path.substring(path.startsWith("/") ? 1 : 0).split("/", -1);
    }
}
