package dev.relay.bench.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One simulated telephony call, as the provider makes it: a WebSocket through HAProxy, Alohaa's
 * {@code connected}, then one RTP packet (PCMU, 20 ms) every 20 ms as a binary message, open loop:
 * frame {@code k} is due at {@code start + k × 20 ms} whatever the relay does, and the sinks'
 * arrivals are measured from that time. After its frames (or {@link #hangUp}) it closes with 1000.
 * It records what the relay did: the upgrade's HTTP status (101, or 503 when refused), the
 * acknowledgement, the texts sent back (played audio, interrupts) and how the socket ended (the
 * relay's close code, or -1 when it dropped without one).
 *
 * <p>All sockets share two NIO loops of this class; each call's state is touched by its loop,
 * and read by the test through futures and volatile fields.
 */
final class PacedCall {
    static final long FRAME_NANOS = 20_000_000L;
    static final int SAMPLES_16K_PER_FRAME = 320;
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private static final int PAYLOAD_BYTES = 160;

    final String callId;
    /** 101 once upgraded, the refusal's status (503) otherwise, -1 when the connection failed. */
    final CompletableFuture<Integer> upgrade = new CompletableFuture<>();
    final CompletableFuture<Void> acked = new CompletableFuture<>();
    /** The relay's close code, or -1 when the socket dropped without a close frame. */
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final int frames;
    private volatile Channel channel;
    private volatile long startNanos = -1;
    private volatile int sent;
    private volatile boolean hungUp;
    private volatile String closeReason = "";

    private PacedCall(String callId, int frames) {
        this.callId = callId;
        this.frames = frames;
    }

    /**
     * Connects to {@code mediaUrl} and, once upgraded, registers and streams {@code frames} frames
     * (about {@code frames / 50} seconds), then hangs up.
     */
    static PacedCall start(String mediaUrl, String callId, int frames) {
        PacedCall call = new PacedCall(callId, frames);
        call.connect(URI.create(mediaUrl));
        return call;
    }

    private void connect(URI uri) {
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri,
                WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 4 << 20);
        new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                                new Handler(handshaker));
                    }
                })
                .connect(uri.getHost(), uri.getPort()).addListener(f -> {
                    if (!f.isSuccess()) {
                        upgrade.complete(-1);
                        closed.complete(-1);
                    }
                });
    }

    /** When frame {@code k} was due ({@link System#nanoTime()}); -1 before the call was acknowledged. */
    long intendedNanos(long k) {
        return startNanos < 0 ? -1 : startNanos + k * FRAME_NANOS;
    }

    /** Frames sent so far. */
    int sent() {
        return sent;
    }

    int planned() {
        return frames;
    }

    String closeReason() {
        return closeReason;
    }

    /** Stops sending and closes with 1000 (from any thread). */
    void hangUp() {
        hungUp = true;
        Channel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> finish(ch));
        }
    }

    /** The upgrade status within {@code timeoutMs}. */
    int awaitUpgrade(long timeoutMs) throws Exception {
        return upgrade.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    int awaitClose(long timeoutMs) throws Exception {
        return closed.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void tick(Channel ch) {
        if (hungUp || !ch.isActive()) {
            return;
        }
        long now = System.nanoTime();
        boolean wrote = false;
        while (sent < frames && intendedNanos(sent) <= now) {
            ch.write(new BinaryWebSocketFrame(rtp(ch, sent)), ch.voidPromise());
            sent++;
            wrote = true;
        }
        if (wrote) {
            ch.flush();
        }
        if (sent >= frames) {
            finish(ch);
            return;
        }
        ch.eventLoop().schedule(() -> tick(ch), Math.max(0, intendedNanos(sent) - System.nanoTime()),
                TimeUnit.NANOSECONDS);
    }

    private void finish(Channel ch) {
        hungUp = true;
        if (ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(1000, "call ended"));
        }
    }

    /** RTP version 2, PCMU, sequence and timestamp from the frame number, μ-law silence. */
    private ByteBuf rtp(Channel ch, int k) {
        ByteBuf b = ch.alloc().buffer(12 + PAYLOAD_BYTES);
        int seq = (65_000 + k) & 0xFFFF; // crosses the 16-bit wrap early
        b.writeByte(0x80).writeByte(k == 0 ? 0x80 : 0x00).writeShort(seq).writeInt(160 * k)
                .writeInt(callId.hashCode());
        for (int i = 0; i < PAYLOAD_BYTES; i++) {
            b.writeByte(0xFF);
        }
        return b;
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final WebSocketClientHandshaker handshaker;

        Handler(WebSocketClientHandshaker handshaker) {
            this.handshaker = handshaker;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            handshaker.handshake(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!handshaker.isHandshakeComplete()) {
                    FullHttpResponse response = (FullHttpResponse) msg;
                    int status = response.status().code();
                    if (status != 101) {
                        upgrade.complete(status);
                        ctx.close();
                        return;
                    }
                    handshaker.finishHandshake(ctx.channel(), response);
                    ctx.pipeline().addBefore(ctx.name(), "aggregator", new WebSocketFrameAggregator(4 << 20));
                    upgrade.complete(101);
                    ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"connected\",\"callId\":\"" + callId
                            + "\",\"mobileNo\":\"9876543210\"}"));
                } else if (msg instanceof TextWebSocketFrame text) {
                    String t = text.text();
                    if (!acked.isDone() && t.contains("\"connected\"")) {
                        startNanos = System.nanoTime();
                        acked.complete(null);
                        tick(ctx.channel());
                    } else {
                        texts.add(t);
                    }
                } else if (msg instanceof CloseWebSocketFrame close) {
                    closeReason = close.reasonText();
                    closed.complete(close.statusCode());
                    ctx.close();
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgrade.complete(-1);
            closed.complete(-1);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
