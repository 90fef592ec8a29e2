package dev.relay.core.scanner;


/**
 * Why {@link MediaEventScanner} rejected a frame, or {@link #NONE} when it accepted it.
 *
 * <p>{@link #label()} is a stable lower-case token for metrics labels and logs;
 * {@link #description()} is for humans. Syntax problems ({@link #INVALID_JSON},
 * then {@link #TOO_DEEP}, whichever comes first in the document) take precedence
 * over every other reason; among several other problems the scanner reports the
 * first one it meets.
 */
public enum MediaEventRejection {
    /** Not a rejection: the frame was accepted. */
    NONE("none", "accepted"),
    INVALID_JSON("invalid_json",
            "not valid JSON (syntax error, trailing data, unterminated string or bad escape)"),
    NOT_AN_OBJECT("not_an_object", "valid JSON, but the top-level value is not an object"),
    MISSING_EVENT("missing_event", "no top-level \"event\" key, or its value is not a string"),
    TOO_DEEP("too_deep", "objects/arrays nested more than " + MediaEventScanner.MAX_DEPTH + " deep"),
    DUPLICATE_KEY("duplicate_key",
            "a key the relay interprets appears twice in one object, or payload/timestamp appear both"
                    + " at top level and under media"),
    BAD_CALL_ID("bad_call_id", "callId/streamSid is not a non-empty string"),
    CALL_ID_TOO_LONG("call_id_too_long",
            "callId/streamSid longer than " + MediaEventScanner.MAX_CALL_ID_BYTES + " UTF-8 bytes"),
    CALL_ID_CONTROL_CHARS("call_id_control_chars", "callId/streamSid contains a control character"),
    BAD_PAYLOAD_TYPE("bad_payload_type", "payload is neither a base64 string nor a Buffer JSON object"),
    BAD_BUFFER_JSON("bad_buffer_json",
            "Buffer JSON payload without type \"Buffer\", without a data array, or with an element"
                    + " that is not an integer 0-255"),
    BAD_BASE64("bad_base64", "payload string is not valid base64"),
    MISSING_PAYLOAD("missing_payload", "media event without a payload (or with a null payload)"),
    PAYLOAD_TOO_LARGE("payload_too_large", "decoded payload larger than the destination buffer"),
    BAD_TIMESTAMP("bad_timestamp", "media timestamp is not an integer or a digit string that fits a long");

    private static final MediaEventRejection[] VALUES = values();

    private final String label;
    private final String description;

    MediaEventRejection(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** Stable lower-case token for metrics labels, e.g. {@code invalid_json}. */
    public String label() {
        return label;
    }

    /** A sentence for humans. */
    public String description() {
        return description;
    }

    /** True for every constant except {@link #NONE}. */
    public boolean isRejection() {
        return this != NONE;
    }

    /**
     * Negative code that the scanner's internal methods return instead of a
     * position, so that failure travels without exceptions or allocation.
     */
    int failCode() {
        return -1 - ordinal();
    }

    /** Inverse of {@link #failCode()}; {@code code} must be negative. */
    static MediaEventRejection ofFailCode(int code) {
        return VALUES[-1 - code];
    }
}
