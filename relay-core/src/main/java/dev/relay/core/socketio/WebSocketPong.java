package dev.relay.core.socketio;

/**
 * A WebSocket pong whose payload was the 8 bytes of {@code mark}: the server read everything the
 * client wrote before the ping carrying it. A user event from {@link EngineIoHandler} to
 * {@link SocketIoConnection}, on the channel's loop.
 */
record WebSocketPong(long mark) {}
