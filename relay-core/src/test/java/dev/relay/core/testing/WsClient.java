package dev.relay.core.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking WebSocket test client on Netty: connect, send text/binary, read text messages, and
 * observe the close code. Every received buffer is released.
 */
public final class WsClient implements AutoCloseable {
    private static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final CompletableFuture<String> closeReason = new CompletableFuture<>();
    private final CompletableFuture<Integer> httpStatus = new CompletableFuture<>();
    private final Channel channel;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private WsClient(URI uri, int maxFrame) throws Exception {
        // wss:// trusts any certificate: the tests that use it check which one the relay served.
        SslContext tls = uri.getScheme().equals("wss") ? SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null).build()
                : null;
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), maxFrame);
        channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), uri.getHost(), uri.getPort()));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        handshaker.handshake(ctx.channel());
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (!handshaker.isHandshakeComplete()) {
                                            FullHttpResponse response = (FullHttpResponse) msg;
                                            httpStatus.complete(response.status().code());
                                            try {
                                                handshaker.finishHandshake(ctx.channel(), response);
                                                ctx.pipeline().addAfter(ctx.name(), "agg",
                                                        new WebSocketFrameAggregator(1 << 24));
                                                ready.complete(null);
                                            } catch (RuntimeException e) {
                                                ready.completeExceptionally(e);
                                            }
                                            return;
                                        }
                                        onFrame((WebSocketFrame) msg);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        closeCode.complete(-1);
                                        closeReason.complete("");
                                        ready.completeExceptionally(new IllegalStateException("closed"));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(uri.getHost(), uri.getPort()).sync().channel();
    }

    /** The certificate the server presented ({@code wss://} only). */
    public X509Certificate serverCertificate() throws Exception {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        return (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
    }

    /** Connects and completes the WebSocket upgrade (fails when the server refuses it). */
    public static WsClient connect(String url) throws Exception {
        WsClient client = new WsClient(URI.create(url), 1 << 24);
        try {
            client.ready.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Connects without waiting for a successful upgrade; for tests that expect an HTTP error. */
    public static int upgradeStatus(String url) throws Exception {
        try (WsClient c = new WsClient(URI.create(url), 1 << 24)) {
            return c.httpStatus.get(5, TimeUnit.SECONDS);
        }
    }

    private void onFrame(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame t) {
            texts.add(t.text());
        } else if (frame instanceof CloseWebSocketFrame c) {
            closeCode.complete(c.statusCode());
            closeReason.complete(c.reasonText());
        }
    }

    public void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
    }

    public void sendBinary(byte[] bytes) {
        channel.writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes))).syncUninterruptibly();
    }

    /** Sends a text frame whose payload is {@code bytes} verbatim (may be invalid UTF-8/JSON). */
    public void sendTextBytes(byte[] bytes) {
        ByteBuf b = Unpooled.wrappedBuffer(bytes);
        channel.writeAndFlush(new TextWebSocketFrame(b)).syncUninterruptibly();
    }

    public String nextText(long timeoutMs) throws InterruptedException {
        String t = texts.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (t == null) {
            throw new AssertionError("no text message within " + timeoutMs + " ms");
        }
        return t;
    }

    public int awaitCloseCode(long timeoutMs) throws Exception {
        return closeCode.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public String closeReason() throws Exception {
        return closeReason.get(1, TimeUnit.SECONDS);
    }

    public void sendClose(int code) {
        channel.writeAndFlush(new CloseWebSocketFrame(code, "bye"));
    }

    /** Stops reading from the socket (a peer that never reads); the relay's writes back up. */
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** Text messages received and not yet taken. */
    public int pendingTexts() {
        return texts.size();
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
