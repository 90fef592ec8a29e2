package dev.relay.core.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 / Socket.IO v5 client connection over WebSocket, joined to one namespace: the
 * handle its owner holds, and the last handler of its channel, which reports to the
 * {@link SocketIoListener}. The protocol is in the handlers before it, built by
 * {@link SocketIoClient}: [TLS] → HTTP codec → {@link WebSocketUpgrade} (after the upgrade: the
 * WebSocket codec and a frame aggregator) → {@link EngineIoHandler} → {@link SocketIoHandler} → this.
 * Every ending reaches the listener once, as one {@link SocketIoClose}: a layer's own, a failure
 * Netty reports (I/O, TLS, bad frames), the channel closing, or the connect timeout, which covers
 * everything up to the namespace's answer.
 *
 * <p>Threads: every method must be called on the loop the connection was created on; listener
 * callbacks run there too. Inbound frames are released by the handlers; {@link #emitBinary} takes
 * ownership of its buffer whatever happens.
 */
public final class SocketIoConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SocketIoConnection.class);
    /** A close handshake the peer does not complete (it stopped reading) is cut after this. */
    static final long CLOSE_GRACE_MS = 1_000;

    /** The owner's view: not yet joined, joined, or over (ended, or closed by the owner). */
    private enum Phase {
        CONNECTING,
        CONNECTED,
        CLOSED
    }

    private final SocketIoOptions options;
    private final SocketIoListener listener;
    private final SocketIoHandler socketIo;
    private Channel channel;
    private Phase phase = Phase.CONNECTING;
    private ScheduledFuture<?> connectTimer;
    private EngineOpen engine;
    private String sid;

    SocketIoConnection(SocketIoOptions options, SocketIoListener listener, SocketIoHandler socketIo) {
        this.options = options;
        this.listener = listener;
        this.socketIo = socketIo;
    }

    /** Called by {@link SocketIoClient} once the connect attempt is under way. */
    void started(ChannelFuture connecting) {
        channel = connecting.channel();
        connectTimer = channel.eventLoop().schedule(() -> end(SocketIoClose.Kind.CONNECT_TIMEOUT,
                "not connected within " + options.connectTimeoutMs() + " ms (" + stage() + ")"),
                options.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                // Later, never from inside connect(): a refused loopback connect can fail at once,
                // before the owner holds this connection.
                channel.eventLoop().execute(() -> end(SocketIoClose.Kind.NETWORK, "cannot connect to "
                        + options.host() + ":" + options.port() + " (" + Excerpts.describe(f.cause()) + ")"));
            }
        });
    }

    // ---- The owner's side. ----

    /** True once the namespace accepted the client and until the connection ends. */
    public boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /** Connected and the channel's outbound buffer is under its high-water mark. */
    public boolean isWritable() {
        return phase == Phase.CONNECTED && channel.isWritable();
    }

    /** The namespace session id the server gave, once connected. */
    public String sid() {
        return sid;
    }

    /** The Engine.IO handshake, once received. */
    public EngineOpen engine() {
        return engine;
    }

    public Channel channel() {
        return channel;
    }

    /**
     * Writes (without flushing) an event with one binary argument: the constant packet
     * {@code header} (see {@link SocketIoCodec#binaryEventHeader}) then {@code data} as a binary
     * message. Takes ownership of {@code data}; false (and {@code data} released) when not
     * connected.
     */
    public boolean emitBinary(byte[] header, ByteBuf data) {
        if (phase != Phase.CONNECTED) {
            data.release();
            return false;
        }
        return socketIo.emitBinary(header, data);
    }

    /**
     * As {@link #emitBinary}, framing {@code data} in place: it must have
     * {@link dev.relay.core.net.ClientFrameWriter#MAX_HEADER_BYTES} bytes of headroom before its
     * reader index that may be overwritten (a sink chunk's header, already read).
     */
    public boolean emitBinaryInPlace(byte[] header, ByteBuf data) {
        if (phase != Phase.CONNECTED) {
            data.release();
            return false;
        }
        return socketIo.emitBinaryInPlace(header, data);
    }

    /** Writes (without flushing) an event whose arguments, name first, are the JSON array {@code argsJson}. */
    public boolean emit(String argsJson) {
        return phase == Phase.CONNECTED && socketIo.emit(argsJson);
    }

    public void flush() {
        if (phase == Phase.CONNECTED) {
            channel.flush();
        }
    }

    /**
     * Writes and flushes a WebSocket ping whose payload is the 8 bytes of {@code mark}, below the
     * Engine.IO layer. RFC 6455 peers answer it after reading everything written before it; the
     * pong reaches {@link SocketIoListener#onPong}. Nothing happens when not connected.
     */
    public void ping(long mark) {
        if (phase == Phase.CONNECTED) {
            channel.pipeline().context(EngineIoHandler.class).writeAndFlush(
                    new PingWebSocketFrame(channel.alloc().buffer(Long.BYTES).writeLong(mark)), channel.voidPromise());
        }
    }

    /**
     * Ends the connection now for {@code detail} (the peer stopped answering pings): the listener
     * hears a {@link SocketIoClose.Kind#NETWORK} close, as for a lost connection.
     */
    public void abort(String detail) {
        end(SocketIoClose.Kind.NETWORK, detail);
    }

    /**
     * Runs {@code written} on the loop once everything written so far has gone to the socket (or
     * the connection failed); at once when not connected.
     */
    public void whenWritten(Runnable written) {
        if (phase != Phase.CONNECTED) {
            written.run();
            return;
        }
        // An empty write below the Engine.IO layer, so that it is not framed as a message.
        channel.pipeline().context(EngineIoHandler.class).writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(f -> written.run());
    }

    /**
     * Leaves the namespace ({@code 41}) and closes the WebSocket when connected, or abandons the
     * attempt otherwise; the listener hears nothing more. {@code whenClosed} (may be null) runs on
     * the loop once the channel is closed, at most {@link #CLOSE_GRACE_MS} later when the peer does
     * not read.
     */
    public void close(Runnable whenClosed) {
        boolean wasConnected = phase == Phase.CONNECTED;
        phase = Phase.CLOSED;
        cancelConnectTimer();
        if (whenClosed != null) {
            channel.closeFuture().addListener(f -> whenClosed.run());
        }
        socketIo.leave();
        if (wasConnected && channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> channel.close());
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    // ---- What the layers report. ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof SocketIoEvent event) {
            if (phase == Phase.CONNECTED) {
                listener.onEvent(this, event);
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof EngineOpen open) {
            engine = open;
        } else if (evt instanceof SocketIoHandler.Joined joined) {
            onJoined(joined.sid());
        } else if (evt instanceof SocketIoClose close) {
            end(close);
        } else if (evt instanceof WebSocketPong pong) {
            if (phase == Phase.CONNECTED) {
                listener.onPong(this, pong.mark());
            }
            return;
        } else if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            end(SocketIoClose.Kind.NETWORK, "TLS handshake failed (" + Excerpts.describe(done.cause()) + ")");
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onJoined(String sid) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        this.sid = sid;
        phase = Phase.CONNECTED;
        cancelConnectTimer();
        listener.onConnected(this, sid);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end(phase == Phase.CONNECTED ? SocketIoClose.Kind.SERVER_DISCONNECT : SocketIoClose.Kind.NETWORK,
                "connection closed by the server");
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (phase == Phase.CONNECTED) {
            listener.onWritabilityChanged(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        SocketIoClose close = SocketIoClose.of(cause);
        if (close.kind() == SocketIoClose.Kind.NETWORK && !(SocketIoClose.rootOf(cause) instanceof IOException)) {
            log.warn("socket.io {}: unexpected failure", options.host(), cause);
        }
        end(close);
    }

    // ---- Ending. ----

    /** Where the connection got to, for the connect timeout's message. */
    private String stage() {
        if (!channel.isActive()) {
            return "connecting";
        }
        if (channel.pipeline().get(WebSocketUpgrade.class) != null) {
            return "upgrading";
        }
        return engine == null ? "opening" : "joining";
    }

    private void end(SocketIoClose.Kind kind, String detail) {
        end(new SocketIoClose(kind, detail, 0));
    }

    private void end(SocketIoClose close) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        cancelConnectTimer();
        channel.close();
        try {
            listener.onClosed(this, close);
        } catch (RuntimeException e) {
            log.error("socket.io {}: listener failed on close", options.host(), e);
        }
    }

    private void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }
}
