package dev.relay.core.control.audio;

import dev.relay.core.net.http.ControlResponse;

/** Pushed audio the relay will not play, with the admin API error to answer. */
public final class AudioRejected extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    AudioRejected(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** 400 for malformed bodies, 415 for formats the relay does not take. */
    public int status() {
        return status;
    }

    /** Stable snake_case error code: {@code bad_wav}, {@code bad_audio}, {@code unsupported_audio}. */
    public String code() {
        return code;
    }

    public ControlResponse toResponse() {
        return ControlResponse.error(status, code, getMessage());
    }

    static AudioRejected unsupported(String message) {
        return new AudioRejected(415, "unsupported_audio", message);
    }

    static AudioRejected bad(String message) {
        return new AudioRejected(400, "bad_audio", message);
    }
}
