package dev.relay.core.sink.aiola;

import dev.relay.core.socketio.SocketIoClient;
import dev.relay.core.socketio.SocketIoClose;
import dev.relay.core.socketio.SocketIoConnection;
import dev.relay.core.socketio.SocketIoEvent;
import dev.relay.core.socketio.SocketIoListener;
import dev.relay.core.socketio.SocketIoOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

/** {@code transport = websocket}: the relay's own Socket.IO client, on the call's IO loop. */
final class NettyAiolaLink implements AiolaLink, SocketIoListener {
    private final Listener listener;
    private final byte[] audioHeader;
    private final SocketIoConnection connection;

    NettyAiolaLink(EventLoop loop, SocketIoOptions options, byte[] audioHeader, Listener listener) {
        this.listener = listener;
        this.audioHeader = audioHeader;
        this.connection = SocketIoClient.connect(loop, options, this);
    }

    @Override
    public boolean connected() {
        return connection.isConnected();
    }

    @Override
    public boolean writable() {
        return connection.isWritable();
    }

    @Override
    public void emitAudio(ByteBuf pcm) {
        // The chunk's header room takes the frame header: no frame object, no masked copy.
        connection.emitBinaryInPlace(audioHeader, pcm);
    }

    @Override
    public void emit(String argsJson) {
        connection.emit(argsJson);
    }

    @Override
    public void flush() {
        connection.flush();
    }

    @Override
    public void whenWritten(Runnable written) {
        connection.whenWritten(written);
    }

    @Override
    public void ping(long mark) {
        connection.ping(mark);
    }

    @Override
    public void abort(String reason) {
        connection.abort(reason);
    }

    @Override
    public void close(Runnable whenClosed) {
        connection.close(whenClosed);
    }

    // SocketIoListener: the connection can report before the constructor returned (a refused
    // connect fails at once), so `connection` is not compared here; the sink checks the link.

    @Override
    public void onConnected(SocketIoConnection c, String sid) {
        listener.onConnected(this);
    }

    @Override
    public void onEvent(SocketIoConnection c, SocketIoEvent event) {
        listener.onEvent(this, event);
    }

    @Override
    public void onClosed(SocketIoConnection c, SocketIoClose close) {
        listener.onClosed(this, close);
    }

    @Override
    public void onWritabilityChanged(SocketIoConnection c) {
        listener.onWritable(this);
    }

    @Override
    public void onPong(SocketIoConnection c, long mark) {
        listener.onPong(this, mark);
    }
}
