package dev.relay.core.socketio;

/**
 * What a {@link SocketIoConnection} reports. Every method runs on the connection's event loop, never
 * from inside {@link SocketIoClient#connect} (the caller holds the connection first).
 * After {@link #onClosed} (called at most once, never after {@link SocketIoConnection#close}) no
 * other method is called.
 */
public interface SocketIoListener {
    /** The namespace accepted the client; emits are possible from now on. */
    void onConnected(SocketIoConnection connection, String sid);

    /** The server emitted an event on the namespace. */
    void onEvent(SocketIoConnection connection, SocketIoEvent event);

    /** The connection failed or ended, before or after {@link #onConnected}. */
    void onClosed(SocketIoConnection connection, SocketIoClose close);

    /** The channel's writability changed (see {@link SocketIoConnection#isWritable()}). */
    default void onWritabilityChanged(SocketIoConnection connection) {}

    /** A WebSocket pong answered {@link SocketIoConnection#ping} with {@code mark}. */
    default void onPong(SocketIoConnection connection, long mark) {}
}
