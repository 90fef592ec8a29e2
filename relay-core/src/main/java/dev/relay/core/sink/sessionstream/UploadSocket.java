package dev.relay.core.sink.sessionstream;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client end of one upload socket: performs the WebSocket handshake against the upload URL
 * exactly as the server returned it (raw path and query, Host from the URL), answers pings and the
 * server's close, sends the sink's confirmation pings and reports their pongs, ignores anything
 * else the server sends, and reports each step to its
 * {@link Listener} on the channel's loop. The last handler of the pipeline
 * {@code [TLS] → HttpClientCodec → HttpObjectAggregator → UploadSocket}; Netty swaps the HTTP codec
 * for the WebSocket codec when the handshake completes.
 */
final class UploadSocket extends SimpleChannelInboundHandler<Object> {
    /** Largest frame accepted from the server (it only sends control frames, if anything). */
    static final int MAX_INBOUND_FRAME = 64 * 1024;
    /** Largest handshake response (headers and body) read. */
    static final int MAX_HANDSHAKE_RESPONSE = 16 * 1024;

    /** What the sink hears about its socket; every method runs on the channel's loop. */
    interface Listener {
        /** The server accepted the upgrade: audio may flow. */
        void handshakeDone(Channel channel);

        /**
         * The server answered the upgrade with something other than 101 (or with bytes that are not
         * HTTP: {@code status} 0). The channel is closed right after.
         */
        void handshakeRejected(Channel channel, int status, String reason, String bodyExcerpt);

        /** The connection is gone (after a rejection too); {@code reason} says how it ended. */
        void closed(Channel channel, String reason);

        void writabilityChanged(Channel channel);

        /** A pong came whose payload is the 8 bytes of {@code mark} (other pongs are not reported). */
        void ponged(Channel channel, long mark);
    }

    private final WebSocketClientHandshaker handshaker;
    private final Listener listener;
    private String closeReason;
    private boolean closeSent;

    UploadSocket(CreatedSession session, Listener listener) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.USER_AGENT, "relay");
        // Masking is mandatory for clients (RFC 6455 §5.3); no extensions, no Origin header.
        this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(session.uri(), WebSocketVersion.V13, null,
                false, headers, MAX_INBOUND_FRAME, true, false, -1, false, false);
        this.listener = listener;
    }

    /**
     * Sends a close frame (1000) and closes the connection when the server answers or after
     * {@code closeTimeoutMs}, whichever comes first. Call on the channel's loop.
     */
    void closeGracefully(Channel channel, String reason, long closeTimeoutMs) {
        if (closeSent || !channel.isActive()) {
            channel.close();
            return;
        }
        closeSent = true;
        closeReason = "closed by relay: " + reason;
        channel.writeAndFlush(new CloseWebSocketFrame(1000, "call ended"));
        Runnable forceClose = channel::close;
        ScheduledFuture<?> force = channel.eventLoop().schedule(forceClose, closeTimeoutMs, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> force.cancel(false));
    }

    /**
     * Writes and flushes a ping carrying {@code mark}; the server answers it after reading
     * everything written before it (RFC 6455 §5.5.2), which is how the sink confirms delivery.
     */
    void ping(Channel channel, long mark) {
        channel.writeAndFlush(new PingWebSocketFrame(channel.alloc().buffer(Long.BYTES).writeLong(mark)),
                channel.voidPromise());
    }

    /** Closes the connection at once; the listener hears {@code reason} in {@link Listener#closed}. */
    void abort(Channel channel, String reason) {
        if (closeReason == null) {
            closeReason = reason;
        }
        channel.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        handshaker.handshake(ctx.channel()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        super.channelActive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (!handshaker.isHandshakeComplete()) {
            if (msg instanceof FullHttpResponse response) {
                handshakeResponse(ctx, response);
            } else {
                reject(ctx, 0, "unexpected handshake message " + msg.getClass().getSimpleName(), "");
            }
            return;
        }
        if (msg instanceof CloseWebSocketFrame close) {
            if (closeReason == null) {
                closeReason = "server closed the socket (" + close.statusCode() + " " + close.reasonText() + ")";
            }
            if (closeSent) {
                ctx.close();
            } else {
                closeSent = true;
                ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (msg instanceof PongWebSocketFrame pong && pong.content().readableBytes() == Long.BYTES) {
            listener.ponged(ctx.channel(), pong.content().getLong(pong.content().readerIndex()));
        }
        // Text and binary frames carry nothing the sink uses; SimpleChannelInboundHandler releases them.
    }

    private void handshakeResponse(ChannelHandlerContext ctx, FullHttpResponse response) {
        if (response.decoderResult().isFailure()) {
            reject(ctx, 0, "upload socket answered with bytes that are not HTTP ("
                    + response.decoderResult().cause().getMessage() + ")", "");
            return;
        }
        try {
            handshaker.finishHandshake(ctx.channel(), response);
        } catch (WebSocketHandshakeException e) {
            int status = response.status().code();
            String body = BodyText.excerpt(ByteBufUtil.getBytes(response.content()));
            reject(ctx, status, status == 101 ? "bad upgrade response: " + e.getMessage()
                    : "upload socket refused the upgrade (HTTP " + status + ")", body);
            return;
        }
        listener.handshakeDone(ctx.channel());
    }

    private void reject(ChannelHandlerContext ctx, int status, String reason, String body) {
        closeReason = reason;
        listener.handshakeRejected(ctx.channel(), status, reason, body);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent tls && !tls.isSuccess() && closeReason == null) {
            closeReason = "TLS handshake failed: " + tls.cause().getMessage();
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        listener.writabilityChanged(ctx.channel());
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        listener.closed(ctx.channel(), closeReason != null ? closeReason
                : handshaker.isHandshakeComplete() ? "connection lost" : "connection lost during the handshake");
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (closeReason == null) {
            String message = cause.getMessage();
            closeReason = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        ctx.close();
    }
}
