package dev.relay.core.sink.sessionstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What create-session answered: the session id and the upload socket's URL, kept exactly as
 * returned (it carries the server's internal stream id). {@link #parse} accepts only an answer the
 * sink can use, so a misbehaving server is one clear error instead of a failure further on.
 *
 * @param sessionId the server's id for the session, used in the end and get paths
 * @param uploadUrl {@code wss://…} (or {@code ws://…}) as returned, never rewritten
 * @param uri {@code uploadUrl} parsed
 */
record CreatedSession(String sessionId, String uploadUrl, URI uri) {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final int MAX_ID_CHARS = 256;
    private static final int MAX_URL_CHARS = 4096;

    /** The create answer could not be used; the message says why. */
    static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code {"session_id":"…","upload_url":"wss://…", …}}; other fields are ignored. */
    static CreatedSession parse(byte[] body) throws Unusable {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            tree = null;
        }
        if (tree == null || !tree.isObject()) {
            throw new Unusable("answer is not a JSON object");
        }
        JsonNode id = tree.get("session_id");
        if (id == null || !id.isTextual() || id.asText().isEmpty() || id.asText().length() > MAX_ID_CHARS) {
            throw new Unusable("no usable session_id");
        }
        JsonNode url = tree.get("upload_url");
        if (url == null || !url.isTextual() || url.asText().length() > MAX_URL_CHARS) {
            throw new Unusable("no usable upload_url");
        }
        String text = url.asText();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new Unusable("upload_url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("wss") && !scheme.equals("ws") || uri.getHost() == null) {
            throw new Unusable("upload_url is not a ws:// or wss:// URL with a host");
        }
        return new CreatedSession(id.asText(), text, uri);
    }

    boolean tls() {
        return uri.getScheme().equalsIgnoreCase("wss");
    }

    int port() {
        return uri.getPort() >= 0 ? uri.getPort() : tls() ? 443 : 80;
    }
}
