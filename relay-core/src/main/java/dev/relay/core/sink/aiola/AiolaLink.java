package dev.relay.core.sink.aiola;

import dev.relay.core.socketio.SocketIoClose;
import dev.relay.core.socketio.SocketIoEvent;
import io.netty.buffer.ByteBuf;

/**
 * One connection attempt to aiOla, whichever Socket.IO client carries it: the relay's own
 * ({@link NettyAiolaLink}, {@code transport = websocket}) or socket.io-client-java
 * ({@link JavaClientAiolaLink}, {@code polling} / {@code all}). Every method is called on the call's
 * IO loop, and every {@link Listener} method runs there.
 */
interface AiolaLink {
    /** True once the namespace accepted the client and until the link ends. */
    boolean connected();

    /** Connected and able to take another chunk without growing an unbounded buffer. */
    boolean writable();

    /**
     * Writes one {@code binary_data} emit (without flushing); takes ownership of {@code pcm}, a sink
     * chunk whose header bytes before the reader index (already read) the link may overwrite.
     */
    void emitAudio(ByteBuf pcm);

    /** Writes one event whose arguments, name first, are the JSON array {@code argsJson}. */
    void emit(String argsJson);

    void flush();

    /** Runs {@code written} once everything emitted so far has left (or the link failed). */
    void whenWritten(Runnable written);

    /**
     * Writes and flushes a WebSocket ping carrying {@code mark} (the pong reaches
     * {@link Listener#onPong}); only the WebSocket transport confirms delivery, polling ignores it.
     */
    void ping(long mark);

    /** Ends the connection now; the listener hears {@link Listener#onClosed} as for a lost one. */
    void abort(String reason);

    /** Leaves the namespace and closes; the listener hears nothing more; {@code whenClosed} runs once closed. */
    void close(Runnable whenClosed);

    /** What a link reports to its sink. */
    interface Listener {
        void onConnected(AiolaLink link);

        void onEvent(AiolaLink link, SocketIoEvent event);

        void onClosed(AiolaLink link, SocketIoClose close);

        void onWritable(AiolaLink link);

        /** A pong answered {@link #ping} with {@code mark}. */
        void onPong(AiolaLink link, long mark);
    }
}
