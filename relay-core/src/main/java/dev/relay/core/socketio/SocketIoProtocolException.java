package dev.relay.core.socketio;

/** Text from the server that is not valid Engine.IO v4 / Socket.IO v5. The message says what was wrong. */
public final class SocketIoProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    public SocketIoProtocolException(String message) {
        super(message);
    }
}
