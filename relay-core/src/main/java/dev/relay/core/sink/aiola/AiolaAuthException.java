package dev.relay.core.sink.aiola;

/** Why the API key exchange did not produce a session JWT. */
public final class AiolaAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, which decides what the sink does about it. */
    public enum Kind {
        /** 401/403: the API key (or the temporary token) was refused. Not retried. */
        REFUSED,
        /** 409 or {@code MAX_CONCURRENCY_REACHED}: too many open sessions for this key. Retried with backoff. */
        CONCURRENCY,
        /** No answer, a 5xx, or an answer without the expected fields. Retried with backoff. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final int status;

    public AiolaAuthException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
