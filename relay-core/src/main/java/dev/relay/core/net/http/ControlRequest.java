package dev.relay.core.net.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * An admin API request, already aggregated and bounded.
 *
 * @param method HTTP method, upper case
 * @param path decoded path without the query
 * @param pathParams values of the route pattern's placeholders
 * @param query query parameters
 * @param headers request headers
 * @param body request body (empty when none); owned by the route
 */
public record ControlRequest(String method, String path, Map<String, String> pathParams,
        Map<String, List<String>> query, HttpHeaders headers, byte[] body) {

    /** The first value of query parameter {@code name}, or null. */
    public String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
