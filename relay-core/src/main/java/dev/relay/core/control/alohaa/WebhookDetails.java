package dev.relay.core.control.alohaa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where Alohaa posts a call's lifecycle events ({@code webhook_details}).
 *
 * @param url http(s) URL
 * @param requestType {@code POST} (default) or {@code GET}
 * @param apiKey optional header name Alohaa sends with each webhook, or null
 * @param apiValue optional value of that header, or null
 */
public record WebhookDetails(String url, String requestType, String apiKey, String apiValue) {
    private static final ObjectMapper JSON = Json.MAPPER;

    /**
     * From the admin request's {@code webhook}: either a URL string or an object
     * {@code {"url", "request_type"?, "api_key"?, "api_value"?}}.
     *
     * @throws IllegalArgumentException with a message for the API client when it is neither
     */
    public static WebhookDetails parse(JsonNode node) {
        if (node.isTextual()) {
            return new WebhookDetails(checkUrl(node.asText()), "POST", null, null);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("webhook must be a URL string or an object with a url");
        }
        String type = optionalText(node, "request_type");
        type = type == null ? "POST" : type.toUpperCase(Locale.ROOT);
        if (!type.equals("POST") && !type.equals("GET")) {
            throw new IllegalArgumentException("webhook.request_type must be POST or GET");
        }
        JsonNode url = node.get("url");
        if (url == null || !url.isTextual()) {
            throw new IllegalArgumentException("webhook.url is required");
        }
        return new WebhookDetails(checkUrl(url.asText()), type, optionalText(node, "api_key"),
                optionalText(node, "api_value"));
    }

    /** The stringified JSON Alohaa expects in {@code webhook_details}. */
    public String toJsonString() {
        ObjectNode o = JSON.createObjectNode();
        o.put("url", url);
        o.put("request_type", requestType);
        if (apiKey != null) {
            o.put("api_key", apiKey);
        }
        if (apiValue != null) {
            o.put("api_value", apiValue);
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String checkUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && url.length() <= 2048) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Reported below with the same message as any other bad URL.
        }
        throw new IllegalArgumentException("webhook url must be an absolute http(s) URL");
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException("webhook." + field + " must be a string");
        }
        return v.asText();
    }
}
