package dev.relay.core.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 / Socket.IO v5 client connection over WebSocket, on the caller's event loop,
 * joined to one namespace. It is both the handle the owner uses and the last handler of its channel.
 *
 * <p>States, in order: {@code CONNECTING} (TCP, TLS) → {@code UPGRADING} (HTTP upgrade; 401/403
 * end it as {@link SocketIoClose.Kind#AUTH_REFUSED}) → {@code OPENING} (waits for the Engine.IO
 * open packet, then sends the namespace CONNECT) → {@code JOINING} (waits for the CONNECT answer or
 * CONNECT_ERROR) → {@code CONNECTED} → {@code CLOSED}. The connect timeout covers everything up to
 * {@code CONNECTED}. After the open packet a watchdog expects a server ping at least every
 * pingInterval + pingTimeout (v4: the server pings, the client answers {@code 3}). Anything that is
 * not the protocol closes the connection as {@link SocketIoClose.Kind#PROTOCOL}.
 *
 * <p>Made by {@link SocketIoClient#connect}. Threads: every method must be called on the loop the connection was
 * created on; listener
 * callbacks run there too. Inbound frames are released here; {@link #emitBinary} takes ownership
 * of its buffer whatever happens.
 */
public final class SocketIoConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(SocketIoConnection.class);
    private static final byte[] PONG = {(byte) SocketIoCodec.PONG};
    /** A close handshake the peer does not complete (it stopped reading) is cut after this. */
    static final long CLOSE_GRACE_MS = 1_000;

    private enum State {
        CONNECTING,
        UPGRADING,
        OPENING,
        JOINING,
        CONNECTED,
        CLOSED
    }

    private final SocketIoOptions options;
    private final SocketIoListener listener;
    private final String namespace;
    private final WebSocketClientHandshaker handshaker;
    private Channel channel;
    private State state = State.CONNECTING;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> pingTimer;
    private long pingWindowNanos;
    private long pingDeadlineNanos;
    private EngineOpen engine;
    private String sid;
    private final BinaryAssembly binary = new BinaryAssembly();

    SocketIoConnection(SocketIoOptions options, SocketIoListener listener) {
        this.options = options;
        this.listener = listener;
        this.namespace = options.namespace();
        HttpHeaders headers = new DefaultHttpHeaders();
        for (Map.Entry<String, String> h : options.headers().entrySet()) {
            headers.set(h.getKey(), h.getValue());
        }
        // Masking on (RFC 6455 requires it of clients); no extensions; no Origin: not a browser.
        this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(options.webSocketUri(), WebSocketVersion.V13,
                null, false, headers, options.maxFrameBytes(), true, false, CLOSE_GRACE_MS, false, false);
    }

    /** Called by {@link SocketIoClient} once the connect attempt is under way. */
    void started(ChannelFuture connecting) {
        channel = connecting.channel();
        connectTimer = channel.eventLoop().schedule(() -> fail(SocketIoClose.Kind.CONNECT_TIMEOUT,
                "not connected within " + options.connectTimeoutMs() + " ms (" + state.name().toLowerCase(Locale.ROOT)
                + ")", 0),
                options.connectTimeoutMs(), TimeUnit.MILLISECONDS);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                // Later, never from inside connect(): a refused loopback connect can fail at once,
                // before the owner holds this connection.
                channel.eventLoop().execute(() -> fail(SocketIoClose.Kind.NETWORK, "cannot connect to "
                        + options.host() + ":" + options.port() + " (" + Excerpts.describe(f.cause()) + ")", 0));
            }
        });
    }

    // ---- The owner's side. ----

    /** True once the namespace accepted the client and until the connection ends. */
    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Connected and the channel's outbound buffer is under its high-water mark. */
    public boolean isWritable() {
        return state == State.CONNECTED && channel.isWritable();
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
     * Writes (without flushing) an event with one binary argument: the constant placeholder text
     * frame {@code header} (see {@link SocketIoCodec#binaryEventHeader}) then {@code data} as a
     * binary frame. Takes ownership of {@code data}; false (and {@code data} released) when not
     * connected.
     */
    public boolean emitBinary(byte[] header, ByteBuf data) {
        if (state != State.CONNECTED) {
            data.release();
            return false;
        }
        channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(header)), channel.voidPromise());
        channel.write(new BinaryWebSocketFrame(data), channel.voidPromise());
        return true;
    }

    /** Writes (without flushing) an event whose arguments, name first, are the JSON array {@code argsJson}. */
    public boolean emit(String argsJson) {
        if (state != State.CONNECTED) {
            return false;
        }
        channel.write(text(SocketIoCodec.event(namespace, argsJson)), channel.voidPromise());
        return true;
    }

    public void flush() {
        if (state == State.CONNECTED) {
            channel.flush();
        }
    }

    /**
     * Runs {@code written} on the loop once everything written so far has gone to the socket (or
     * the connection failed); at once when not connected.
     */
    public void whenWritten(Runnable written) {
        if (state != State.CONNECTED) {
            written.run();
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> written.run());
    }

    /**
     * Leaves the namespace ({@code 41}) and closes the WebSocket when connected, or abandons the
     * attempt otherwise; the listener hears nothing more. {@code whenClosed} (may be null) runs on
     * the loop once the channel is closed, at most {@link #CLOSE_GRACE_MS} later when the peer does
     * not read.
     */
    public void close(Runnable whenClosed) {
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        cleanup();
        if (whenClosed != null) {
            channel.closeFuture().addListener(f -> whenClosed.run());
        }
        if (wasConnected && channel.isActive()) {
            channel.write(text(SocketIoCodec.disconnect(namespace)));
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> channel.close());
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    // ---- Channel events. ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (state != State.CONNECTING) {
            ctx.close();
            return;
        }
        state = State.UPGRADING;
        handshaker.handshake(ctx.channel()).addListener(f -> {
            if (!f.isSuccess()) {
                fail(SocketIoClose.Kind.NETWORK,
                        "cannot send the upgrade request (" + Excerpts.describe(f.cause()) + ")", 0);
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (state == State.UPGRADING) {
                if (msg instanceof FullHttpResponse response) {
                    onUpgradeResponse(response);
                } else {
                    fail(SocketIoClose.Kind.PROTOCOL,
                            "unexpected " + msg.getClass().getSimpleName() + " before the upgrade", 0);
                }
            } else if (msg instanceof WebSocketFrame frame) {
                onFrame(frame);
            } else {
                fail(SocketIoClose.Kind.PROTOCOL, "unexpected " + msg.getClass().getSimpleName(), 0);
            }
        } catch (SocketIoProtocolException e) {
            fail(SocketIoClose.Kind.PROTOCOL, e.getMessage(), 0);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(state == State.CONNECTED ? SocketIoClose.Kind.SERVER_DISCONNECT : SocketIoClose.Kind.NETWORK,
                "connection closed by the server", 0);
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.CONNECTED) {
            listener.onWritabilityChanged(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            fail(SocketIoClose.Kind.NETWORK, "TLS handshake failed (" + Excerpts.describe(done.cause()) + ")", 0);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof CorruptedWebSocketFrameException || root instanceof TooLongFrameException) {
            fail(SocketIoClose.Kind.PROTOCOL, "bad WebSocket frame (" + Excerpts.describe(root) + ")", 0);
        } else if (root instanceof SSLException) {
            fail(SocketIoClose.Kind.NETWORK, "TLS failure (" + Excerpts.describe(root) + ")", 0);
        } else {
            if (!(root instanceof IOException)) {
                log.warn("socket.io {}: unexpected failure", options.host(), cause);
            }
            fail(SocketIoClose.Kind.NETWORK, Excerpts.describe(root), 0);
        }
    }

    // ---- Protocol. ----

    private void onUpgradeResponse(FullHttpResponse response) {
        int status = response.status().code();
        if (status != 101) {
            String body = Excerpts.excerpt(response.content().toString(StandardCharsets.UTF_8));
            SocketIoClose.Kind kind = status == 401 || status == 403 ? SocketIoClose.Kind.AUTH_REFUSED
                    : SocketIoClose.Kind.REFUSED;
            fail(kind, "upgrade refused with HTTP " + status + (body.isEmpty() ? "" : ": " + body), status);
            return;
        }
        try {
            handshaker.finishHandshake(channel, response);
        } catch (WebSocketHandshakeException e) {
            fail(SocketIoClose.Kind.PROTOCOL, "bad upgrade response (" + e.getMessage() + ")", status);
            return;
        }
        ChannelPipeline p = channel.pipeline();
        ChannelHandlerContext decoder = p.context(WebSocketFrameDecoder.class);
        p.addAfter(decoder.name(), "ws-aggregator", new WebSocketFrameAggregator(options.maxFrameBytes()));
        state = State.OPENING;
    }

    private void onFrame(WebSocketFrame frame) throws SocketIoProtocolException {
        if (frame instanceof TextWebSocketFrame) {
            onText(frame.content());
        } else if (frame instanceof BinaryWebSocketFrame) {
            onBinary(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            channel.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            int code = close.statusCode();
            String reason = Excerpts.excerpt(close.reasonText());
            channel.writeAndFlush(new CloseWebSocketFrame(1000, ""));
            fail(SocketIoClose.Kind.SERVER_DISCONNECT, "WebSocket closed by the server ("
                    + (code < 0 ? "no status" : String.valueOf(code)) + (reason.isEmpty() ? "" : " " + reason) + ")",
                    0);
        }
    }

    private void onText(ByteBuf content) throws SocketIoProtocolException {
        int n = content.readableBytes();
        if (n == 0) {
            throw new SocketIoProtocolException("empty Engine.IO packet");
        }
        char type = (char) content.getByte(content.readerIndex());
        if (type == SocketIoCodec.PING && n == 1) {
            onPing();
            return;
        }
        String text = content.toString(StandardCharsets.UTF_8);
        switch (type) {
            case SocketIoCodec.OPEN -> onOpen(text.substring(1));
            case SocketIoCodec.CLOSE -> fail(SocketIoClose.Kind.SERVER_DISCONNECT, "Engine.IO close from the server",
                    0);
            case SocketIoCodec.PING -> onPing();
            case SocketIoCodec.MESSAGE -> onMessage(text.substring(1));
            case SocketIoCodec.PONG, SocketIoCodec.NOOP, SocketIoCodec.UPGRADE -> {
                // v4 servers do not send pongs; noop and upgrade belong to polling.
            }
            default -> throw new SocketIoProtocolException("not an Engine.IO packet: \"" + Excerpts.excerpt(text)
                    + "\"");
        }
    }

    private void onOpen(String json) throws SocketIoProtocolException {
        if (state != State.OPENING) {
            throw new SocketIoProtocolException("second Engine.IO open packet");
        }
        engine = EngineOpen.parse(json);
        pingWindowNanos = TimeUnit.MILLISECONDS.toNanos(engine.pingIntervalMs() + engine.pingTimeoutMs());
        pingDeadlineNanos = System.nanoTime() + pingWindowNanos;
        pingTimer = channel.eventLoop().schedule(this::checkPing, pingWindowNanos, TimeUnit.NANOSECONDS);
        state = State.JOINING;
        channel.writeAndFlush(text(SocketIoCodec.connect(namespace, options.authJson())));
    }

    private void onPing() throws SocketIoProtocolException {
        if (state == State.OPENING) {
            throw new SocketIoProtocolException("ping before the Engine.IO open packet");
        }
        pingDeadlineNanos = System.nanoTime() + pingWindowNanos;
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(PONG)), channel.voidPromise());
    }

    private void checkPing() {
        pingTimer = null;
        if (state == State.CLOSED) {
            return;
        }
        long left = pingDeadlineNanos - System.nanoTime();
        if (left <= 0) {
            fail(SocketIoClose.Kind.PING_TIMEOUT, "no ping from the server within "
                    + TimeUnit.NANOSECONDS.toMillis(pingWindowNanos) + " ms (pingInterval + pingTimeout)", 0);
        } else {
            pingTimer = channel.eventLoop().schedule(this::checkPing, left, TimeUnit.NANOSECONDS);
        }
    }

    private void onMessage(String text) throws SocketIoProtocolException {
        if (state == State.OPENING) {
            throw new SocketIoProtocolException("Socket.IO packet before the Engine.IO open packet");
        }
        if (binary.waiting()) {
            throw new SocketIoProtocolException("text packet while binary attachments were due");
        }
        SocketIoPacket p = SocketIoCodec.decode(text);
        if (p.binary()) {
            binary.start(p);
            return;
        }
        if (!p.namespace().equals(namespace)) {
            log.debug("socket.io {}: ignoring packet type {} for namespace {}", options.host(), p.type(),
                    p.namespace());
            return;
        }
        switch (p.type()) {
            case SocketIoPacket.CONNECT -> onConnectAnswer(p);
            case SocketIoPacket.CONNECT_ERROR -> onConnectError(p);
            case SocketIoPacket.DISCONNECT -> fail(SocketIoClose.Kind.SERVER_DISCONNECT,
                    "the server disconnected namespace " + namespace, 0);
            case SocketIoPacket.EVENT -> deliver(p, List.of());
            default -> {
                // ACK: this client never asks for acknowledgements.
            }
        }
    }

    private void onBinary(ByteBuf content) throws SocketIoProtocolException {
        BinaryAssembly.Complete done = binary.add(content);
        if (done != null && done.packet().type() == SocketIoPacket.BINARY_EVENT
                && done.packet().namespace().equals(namespace)) {
            deliver(done.packet(), done.attachments());
        }
    }

    private void onConnectAnswer(SocketIoPacket p) throws SocketIoProtocolException {
        if (state != State.JOINING) {
            return;
        }
        JsonNode body = SocketIoEvent.json(p.json() == null ? "{}" : p.json());
        sid = body.path("sid").asText(null);
        state = State.CONNECTED;
        cancel(connectTimer);
        connectTimer = null;
        listener.onConnected(this, sid);
    }

    private void onConnectError(SocketIoPacket p) throws SocketIoProtocolException {
        JsonNode body = SocketIoEvent.json(p.json());
        String message = body.isTextual() ? body.asText() : body.path("message").asText("");
        JsonNode data = body.path("data");
        String detail = "namespace " + namespace + " refused the client: " + Excerpts.excerpt(message)
                + (data.isMissingNode() || data.isNull() ? "" : " " + Excerpts.excerpt(data.toString()));
        fail(SocketIoClose.connectErrorKind(message + " " + data), detail, 0);
    }

    private void deliver(SocketIoPacket p, List<byte[]> attachments) throws SocketIoProtocolException {
        if (state != State.CONNECTED) {
            return;
        }
        listener.onEvent(this, SocketIoEvent.of(p, attachments));
        if (p.ackId() >= 0 && state == State.CONNECTED) {
            channel.writeAndFlush(text(SocketIoCodec.ack(namespace, p.ackId(), "[]")), channel.voidPromise());
        }
    }

    // ---- Ending. ----

    private void fail(SocketIoClose.Kind kind, String detail, int httpStatus) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cleanup();
        channel.close();
        try {
            listener.onClosed(this, new SocketIoClose(kind, detail, httpStatus));
        } catch (RuntimeException e) {
            log.error("socket.io {}: listener failed on close", options.host(), e);
        }
    }

    private void cleanup() {
        cancel(connectTimer);
        cancel(pingTimer);
        connectTimer = null;
        pingTimer = null;
        binary.clear();
    }

    private static void cancel(ScheduledFuture<?> f) {
        if (f != null) {
            f.cancel(false);
        }
    }

    // ---- Helpers. ----

    private static TextWebSocketFrame text(String s) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }
}
