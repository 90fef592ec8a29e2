package dev.relay.core.sink.bot;

import dev.relay.core.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One connection attempt to the bot and, once upgraded, the live link: host lookup, TCP, TLS for
 * {@code wss://}, the WebSocket upgrade, then frames in and out. Its channel is registered on the
 * call's IO loop, so everything here and in {@link BotSink} runs on one thread.
 *
 * <p>How it ends, reported once to the sink with a reason: the attempt's deadline
 * ({@code connect-timeout} for lookup, connect, TLS and upgrade together), a refused upgrade (HTTP
 * 401/403 are final for the call, any other status is retried), the bot's close frame (1000 is the
 * bot ending the stream, final; any other code is retried), a lost connection, silence (no byte, not
 * even a pong to our pings, for three {@code ping-interval}s: a half-open connection or a bot that
 * stopped reading; retried), or the call's end.
 */
final class BotConnection extends ChannelInboundHandlerAdapter {
    /** How long the bot gets to answer our close frame at call end. */
    static final long CLOSE_TIMEOUT_MS = 1000;
    /**
     * Kernel send buffer. Left to autotuning it grows to megabytes (minutes of audio) in front of a
     * bot that stopped reading, all of it stale by the time it moves; kept small, a stalled bot
     * shows up as an unwritable channel within seconds and the sink's drop-oldest queue decides
     * what waits. 64 KiB still covers the bandwidth-delay product of L16 (43 KB/s) at 1 s RTT.
     */
    static final int SEND_BUFFER_BYTES = 64 * 1024;

    private final BotSink sink;
    private final BotSinkFactory factory;
    private final EventLoop loop;
    private Channel channel;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> pings;
    private boolean up;
    private boolean ended;
    private boolean closeSent;
    private String failure;
    private boolean fatal;
    private int closeCode = -1;
    private String closeText = "";

    BotConnection(BotSink sink, BotSinkFactory factory, EventLoop loop) {
        this.sink = sink;
        this.factory = factory;
        this.loop = loop;
    }

    boolean up() {
        return up;
    }

    Channel channel() {
        return channel;
    }

    /** Starts the attempt. */
    void start() {
        long timeoutMs = factory.config().stream().connectTimeoutMs();
        deadline = loop.schedule(() -> fail("no connection within " + timeoutMs + " ms", false),
                timeoutMs, TimeUnit.MILLISECONDS);
        factory.resolver().resolve(loop, this::resolved);
    }

    private void resolved(InetSocketAddress address, Throwable error) {
        if (ended) {
            return;
        }
        if (error != null) {
            fail("cannot resolve " + factory.resolver().host() + ": " + error.getMessage(), false);
            return;
        }
        BotConfig config = factory.config();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel(loop))
                .resolver(NoopAddressResolverGroup.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.stream().connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        BotPipeline.build(ch, factory, CLOSE_TIMEOUT_MS, BotConnection.this);
                    }
                });
        channel = b.register().channel();
        channel.closeFuture().addListener(f -> closed());
        channel.connect(address).addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                fail("cannot connect to " + factory.resolver().host() + ":" + factory.resolver().port() + ": "
                        + f.cause().getMessage(), false);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE && !ended) {
            up = true;
            cancelDeadline();
            startPings(ctx);
            sink.connectionUp(this);
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            fail("WebSocket upgrade timed out", false);
        } else if (evt instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            fail("nothing from the bot, not even a pong, for "
                    + 3 * factory.config().pingIntervalMs() + " ms", false);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (ended) {
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                sink.text(this, text.content());
            } else if (msg instanceof BinaryWebSocketFrame) {
                sink.binary(this);
            } else if (msg instanceof CloseWebSocketFrame close) {
                closeCode = close.statusCode();
                closeText = close.reasonText();
                if (!closeSent) {
                    closeSent = true;
                    ctx.writeAndFlush(new CloseWebSocketFrame(closeCode < 0 ? 1000 : closeCode, ""))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!ended) {
            sink.readComplete(this);
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ended && up) {
            sink.writableChanged(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
            int status = refused.response().status().code();
            fail("upgrade refused: HTTP " + status, status == 401 || status == 403);
        } else if (up && cause instanceof CorruptedWebSocketFrameException corrupt) {
            sink.unreadable(this, describe(cause));
            sayGoodbye(corrupt.closeStatus().code(), "unreadable frame");
            fail(describe(cause), false);
        } else if (up && cause instanceof TooLongFrameException) {
            sink.unreadable(this, describe(cause));
            sayGoodbye(1009, "message too big");
            fail(describe(cause), false);
        } else {
            fail(describe(cause), false);
        }
    }

    /** A close frame before an error close, so the bot learns why; the channel closes right after. */
    private void sayGoodbye(int status, String reason) {
        if (!closeSent && channel.isActive()) {
            closeSent = true;
            channel.writeAndFlush(new CloseWebSocketFrame(status, reason));
        }
    }

    /**
     * Pings every {@code ping-interval} and watches every byte read (at the head of the pipeline, so
     * pongs count though the protocol handler drops them).
     */
    private void startPings(ChannelHandlerContext ctx) {
        long interval = factory.config().pingIntervalMs();
        if (interval <= 0) {
            return;
        }
        ctx.pipeline().addFirst("bot-idle", new IdleStateHandler(3 * interval, 0, 0, TimeUnit.MILLISECONDS));
        pings = loop.scheduleAtFixedRate(() -> {
            if (channel.isActive() && !closeSent) {
                channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
            }
        }, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * The call ended: sends {@code stop} (when up) and a close frame, then closes; a bot that does
     * not answer the close within {@link #CLOSE_TIMEOUT_MS} is cut off.
     */
    void finish(byte[] stop) {
        if (ended) {
            return;
        }
        cancelDeadline();
        if (channel == null) {
            failure = "call ended";
            end();
            return;
        }
        if (up && channel.isActive() && !closeSent) {
            closeSent = true;
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(stop)));
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "call ended"));
            loop.schedule(() -> {
                channel.close();
            }, CLOSE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } else {
            channel.close();
        }
    }

    private void fail(String reason, boolean isFatal) {
        if (ended) {
            return;
        }
        if (failure == null) {
            failure = reason;
            fatal = isFatal;
        }
        if (channel != null && channel.isOpen()) {
            channel.close();
        } else if (channel == null) {
            end();
        }
    }

    private void closed() {
        if (failure == null) {
            if (closeCode == 1000) {
                failure = "bot ended the stream (1000 " + closeText + ")";
                fatal = true;
            } else if (closeCode >= 0) {
                failure = "bot closed the connection (" + closeCode + " " + closeText + ")";
            } else {
                failure = "connection lost";
            }
        }
        end();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        up = false;
        cancelDeadline();
        cancelPings();
        sink.connectionEnded(this, failure, fatal);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void cancelPings() {
        if (pings != null) {
            pings.cancel(false);
            pings = null;
        }
    }

    private static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
