package dev.relay.core.scanner;


/** How a media frame carried its payload bytes, as reported by {@link MediaEventScanner#payloadForm()}. */
public enum PayloadForm {
    /** No payload was decoded (not a media event, or the scan was rejected). */
    NONE,
    /** A Node.js Buffer serialised as JSON: {@code {"type":"Buffer","data":[12,34,…]}}. */
    BUFFER_JSON,
    /** A base64 string (standard or URL-safe alphabet, padding optional). */
    BASE64
}
