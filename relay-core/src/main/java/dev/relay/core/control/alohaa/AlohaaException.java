package dev.relay.core.control.alohaa;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Why an Alohaa REST call did not start a call. */
public final class AlohaaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The kinds of failure, each with its own admin API status (see {@link StartCallRoute}). */
    public enum Kind {
        /** Alohaa answered with {@code success:false} or an HTTP error status. */
        REJECTED,
        /** No answer within {@code relay.alohaa.request-timeout}. */
        TIMEOUT,
        /** Could not connect, or the connection failed mid-exchange. */
        UNREACHABLE,
        /** An answer that is not Alohaa's JSON (or success without a callId). */
        BAD_RESPONSE
    }

    private final Kind kind;
    private final int upstreamStatus;
    private final String code;

    /**
     * @param upstreamStatus Alohaa's HTTP status, or 0 when there was no answer
     * @param code stable snake_case error code for the admin API, e.g. {@code alohaa_1022}
     */
    public AlohaaException(Kind kind, int upstreamStatus, String code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.upstreamStatus = upstreamStatus;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    public int upstreamStatus() {
        return upstreamStatus;
    }

    public String code() {
        return code;
    }

    /** The AlohaaException inside a future's failure, or null when the failure is something else. */
    public static AlohaaException unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof AlohaaException a ? a : null;
    }
}
