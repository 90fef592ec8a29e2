package dev.relay.core.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Engine.IO v4 layer of a Socket.IO connection, over whole WebSocket frames (one packet per
 * frame). Inbound it waits for the open packet ({@code 0{…}}, fired up as an {@link EngineOpen}
 * user event), answers the server's pings ({@code 2} → {@code 3}) and WebSocket pings, reports
 * WebSocket pongs with an 8-byte payload (a {@link WebSocketPong} user event), and passes
 * messages up: a text message ({@code 4…}) as a {@code String} without its {@code 4}, a binary
 * message (a binary frame; v4 has no prefix) as a {@code ByteBuf} the receiver releases. Outbound it
 * frames what the layer above writes: a {@code String}, or a {@code byte[]} of UTF-8 for packets
 * encoded once, becomes a text frame {@code 4…}; a {@code ByteBuf} a binary frame; WebSocket frames
 * pass unchanged.
 *
 * <p>States: {@code OPENING} (only the open packet is valid; pings, messages and a second open are
 * protocol errors) → {@code OPEN} → {@code CLOSED}. From the open packet on, a watchdog expects a
 * ping at least every pingInterval + pingTimeout. An Engine.IO close, a WebSocket close frame, a
 * missed ping or anything that is not the protocol (a message that is not a WebSocket frame
 * included) ends the connection: the handler goes to {@code CLOSED}, drops (and releases) whatever
 * still arrives, and fires a {@link SocketIoClose} up.
 *
 * <p>Threads: the channel's event loop; one instance per channel.
 */
final class EngineIoHandler extends ChannelDuplexHandler {
    static final char OPEN = '0';
    static final char CLOSE = '1';
    static final char PING = '2';
    static final char PONG = '3';
    static final char MESSAGE = '4';
    static final char UPGRADE = '5';
    static final char NOOP = '6';
    private static final byte[] PONG_PACKET = {(byte) PONG};

    private enum State {
        OPENING,
        OPEN,
        CLOSED
    }

    private State state = State.OPENING;
    private boolean closeFrameSent;
    private ScheduledFuture<?> watchdog;
    private long pingWindowNanos;
    private long pingDeadlineNanos;

    /** True once the open packet came (and until the connection ends). */
    boolean isOpen() {
        return state == State.OPEN;
    }

    // ---- Inbound. ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ReferenceCountUtil.release(msg);
            end(ctx, SocketIoClose.Kind.PROTOCOL, "unexpected " + msg.getClass().getSimpleName());
            return;
        }
        try {
            if (state == State.CLOSED) {
                return;
            }
            if (frame instanceof TextWebSocketFrame) {
                onText(ctx, frame.content());
            } else if (frame instanceof BinaryWebSocketFrame) {
                if (state == State.OPENING) {
                    throw new SocketIoProtocolException("binary message before the Engine.IO open packet");
                }
                ctx.fireChannelRead(frame.content().retain());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof PongWebSocketFrame && frame.content().readableBytes() == Long.BYTES) {
                // The answer to a delivery-confirmation ping (SocketIoConnection#ping).
                ctx.fireUserEventTriggered(new WebSocketPong(frame.content().getLong(frame.content().readerIndex())));
            } else if (frame instanceof CloseWebSocketFrame close) {
                onCloseFrame(ctx, close);
            }
        } catch (SocketIoProtocolException e) {
            end(ctx, SocketIoClose.Kind.PROTOCOL, e.getMessage());
        } finally {
            frame.release();
        }
    }

    private void onText(ChannelHandlerContext ctx, ByteBuf content) throws SocketIoProtocolException {
        int n = content.readableBytes();
        if (n == 0) {
            throw new SocketIoProtocolException("empty Engine.IO packet");
        }
        int at = content.readerIndex();
        char type = (char) content.getByte(at);
        switch (type) {
            case OPEN -> onOpen(ctx, content.toString(at + 1, n - 1, StandardCharsets.UTF_8));
            case CLOSE -> end(ctx, SocketIoClose.Kind.SERVER_DISCONNECT, "Engine.IO close from the server");
            case PING -> onPing(ctx);
            case MESSAGE -> {
                if (state == State.OPENING) {
                    throw new SocketIoProtocolException("Socket.IO packet before the Engine.IO open packet");
                }
                ctx.fireChannelRead(content.toString(at + 1, n - 1, StandardCharsets.UTF_8));
            }
            case PONG, NOOP, UPGRADE -> {
                // v4 servers do not send pongs; noop and upgrade belong to polling.
            }
            default -> throw new SocketIoProtocolException("not an Engine.IO packet: \""
                    + Excerpts.excerpt(content.toString(StandardCharsets.UTF_8)) + "\"");
        }
    }

    private void onOpen(ChannelHandlerContext ctx, String json) throws SocketIoProtocolException {
        if (state != State.OPENING) {
            throw new SocketIoProtocolException("second Engine.IO open packet");
        }
        EngineOpen engine = EngineOpen.parse(json);
        pingWindowNanos = TimeUnit.MILLISECONDS.toNanos(engine.pingIntervalMs() + engine.pingTimeoutMs());
        pingDeadlineNanos = now(ctx) + pingWindowNanos;
        watchdog = ctx.executor().schedule(() -> checkPing(ctx), pingWindowNanos, TimeUnit.NANOSECONDS);
        state = State.OPEN;
        ctx.fireUserEventTriggered(engine);
    }

    private void onPing(ChannelHandlerContext ctx) throws SocketIoProtocolException {
        if (state == State.OPENING) {
            throw new SocketIoProtocolException("ping before the Engine.IO open packet");
        }
        pingDeadlineNanos = now(ctx) + pingWindowNanos;
        ctx.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(PONG_PACKET)), ctx.voidPromise());
    }

    /** Runs once per window, not per ping: a ping only moves the deadline. */
    private void checkPing(ChannelHandlerContext ctx) {
        watchdog = null;
        if (state == State.CLOSED) {
            return;
        }
        long left = pingDeadlineNanos - now(ctx);
        if (left <= 0) {
            end(ctx, SocketIoClose.Kind.PING_TIMEOUT, "no ping from the server within "
                    + TimeUnit.NANOSECONDS.toMillis(pingWindowNanos) + " ms (pingInterval + pingTimeout)");
        } else {
            watchdog = ctx.executor().schedule(() -> checkPing(ctx), left, TimeUnit.NANOSECONDS);
        }
    }

    private void onCloseFrame(ChannelHandlerContext ctx, CloseWebSocketFrame close) {
        int code = close.statusCode();
        String reason = Excerpts.excerpt(close.reasonText());
        if (!closeFrameSent) {
            closeFrameSent = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, ""));
        }
        end(ctx, SocketIoClose.Kind.SERVER_DISCONNECT, "WebSocket closed by the server ("
                + (code < 0 ? "no status" : String.valueOf(code)) + (reason.isEmpty() ? "" : " " + reason) + ")");
    }

    /** The clock the loop schedules by (a test's embedded loop moves it by hand). */
    private static long now(ChannelHandlerContext ctx) {
        return ctx.executor().ticker().nanoTime();
    }

    // ---- Outbound. ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof String text) {
            ctx.write(new TextWebSocketFrame(message(ctx.alloc(), text)), promise);
        } else if (msg instanceof byte[] utf8) {
            ctx.write(new TextWebSocketFrame(message(ctx.alloc(), utf8)), promise);
        } else if (msg instanceof ByteBuf binary) {
            ctx.write(new BinaryWebSocketFrame(binary), promise);
        } else {
            if (msg instanceof CloseWebSocketFrame) {
                closeFrameSent = true;
            }
            ctx.write(msg, promise);
        }
    }

    /** The Engine.IO message {@code 4…} carrying {@code utf8}, as the bytes of one text frame. */
    static byte[] message(byte[] utf8) {
        byte[] m = new byte[1 + utf8.length];
        m[0] = (byte) MESSAGE;
        System.arraycopy(utf8, 0, m, 1, utf8.length);
        return m;
    }

    private static ByteBuf message(ByteBufAllocator alloc, String text) {
        ByteBuf buf = alloc.buffer(1 + ByteBufUtil.utf8Bytes(text)).writeByte(MESSAGE);
        ByteBufUtil.writeUtf8(buf, text);
        return buf;
    }

    private static ByteBuf message(ByteBufAllocator alloc, byte[] utf8) {
        return alloc.buffer(1 + utf8.length).writeByte(MESSAGE).writeBytes(utf8);
    }

    // ---- Ending. ----

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        stop();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void end(ChannelHandlerContext ctx, SocketIoClose.Kind kind, String detail) {
        if (state != State.CLOSED) {
            stop();
            ctx.fireUserEventTriggered(new SocketIoClose(kind, detail, 0));
        }
    }

    private void stop() {
        state = State.CLOSED;
        if (watchdog != null) {
            watchdog.cancel(false);
            watchdog = null;
        }
    }
}
