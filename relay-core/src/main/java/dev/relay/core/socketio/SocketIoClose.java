package dev.relay.core.socketio;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why a connection ended, reported once per connection to {@link SocketIoListener#onClosed}.
 *
 * @param kind the class of failure, which decides whether retrying can help
 * @param detail a human-readable reason for events and logs (no secrets)
 * @param httpStatus the upgrade response's status when the server refused the upgrade, else 0
 */
public record SocketIoClose(Kind kind, String detail, int httpStatus) {

    /** Classes of endings. */
    public enum Kind {
        /** Credentials refused: HTTP 401/403 on the upgrade, or a CONNECT_ERROR that says so. */
        AUTH_REFUSED,
        /** The server refused otherwise: another HTTP status, or a CONNECT_ERROR. */
        REFUSED,
        /** The server sent something that is not Engine.IO v4 / Socket.IO v5. */
        PROTOCOL,
        /** No ping from the server within pingInterval + pingTimeout. */
        PING_TIMEOUT,
        /** The connection was not established within the connect timeout. */
        CONNECT_TIMEOUT,
        /** The server ended it: Socket.IO disconnect, Engine.IO close, WebSocket close. */
        SERVER_DISCONNECT,
        /** TCP, DNS or TLS failure, or the connection dropped. */
        NETWORK,
        /** This side closed it. */
        CLIENT
    }

    private static final String[] CREDENTIAL_WORDS = {"auth", "token", "jwt", "credential", "forbidden", "denied",
            "401", "403"};

    /**
     * How to take a namespace's CONNECT_ERROR: servers word it freely (it is whatever their
     * middleware passed to {@code next(new Error(…))}), so one that talks about credentials is
     * {@link Kind#AUTH_REFUSED}, anything else {@link Kind#REFUSED}.
     */
    public static Kind connectErrorKind(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        for (String word : CREDENTIAL_WORDS) {
            if (m.contains(word)) {
                return Kind.AUTH_REFUSED;
            }
        }
        return Kind.REFUSED;
    }

    /**
     * How a failure Netty reports on the channel ends the connection: a broken or oversized frame is
     * {@link Kind#PROTOCOL}, a TLS failure or anything else (I/O above all) {@link Kind#NETWORK}.
     */
    static SocketIoClose of(Throwable cause) {
        Throwable root = rootOf(cause);
        if (root instanceof CorruptedWebSocketFrameException || root instanceof TooLongFrameException) {
            return new SocketIoClose(Kind.PROTOCOL, "bad WebSocket frame (" + Excerpts.describe(root) + ")", 0);
        }
        if (root instanceof SSLException) {
            return new SocketIoClose(Kind.NETWORK, "TLS failure (" + Excerpts.describe(root) + ")", 0);
        }
        return new SocketIoClose(Kind.NETWORK, Excerpts.describe(root), 0);
    }

    /** The failure a decoder wrapped, else {@code cause} itself. */
    static Throwable rootOf(Throwable cause) {
        return cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
    }

    /** True when reconnecting with the same credentials would be refused again. */
    public boolean permanent() {
        return kind == Kind.AUTH_REFUSED;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + ": " + detail;
    }
}
