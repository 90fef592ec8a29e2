package dev.relay.bench.floor;

import dev.relay.core.net.TlsContexts;
import dev.relay.core.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLException;

/**
 * The floor's client sockets to the fake sinks, on the call's event loop: one HTTP exchange (the
 * session-stream create) and WebSocket upgrades, done by Netty's HTTP codec and handshaker once
 * per connection. After the upgrade nothing decodes the audio path: the floor writes complete
 * frames itself ({@link ClientFrames}) and only the sinks' rare text frames (Engine.IO open,
 * namespace connect, pings) are read. TLS as the relay's clients do: the JVM's trust store, host
 * names verified. Thread-safe after construction.
 */
final class SinkClient {
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /** What a WebSocket leg hears after its upgrade; all on the leg's loop. */
    interface WsListener {
        void upgraded(Channel ch);

        void text(Channel ch, String text);

        void failed(String why);
    }

    private final SslContext tls;

    SinkClient() throws SSLException {
        this.tls = SslContextBuilder.forClient().sslProvider(TlsContexts.provider()).build();
    }

    /** {@code method} {@code url} with {@code body}; {@code answer} gets (status, body) or (-1, why). */
    void exchange(EventLoop loop, URI url, HttpMethod method, Map<String, String> headers, String body,
            BiConsumer<Integer, String> answer) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, pathAndQuery(url),
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.HOST, url.getHost() + ":" + port(url))
                .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, "close");
        headers.forEach((k, v) -> request.headers().set(k, v));
        ChannelFuture f = bootstrap(loop, url, new ChannelInboundHandlerAdapter() {
            private boolean answered;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(request);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    FullHttpResponse r = (FullHttpResponse) msg;
                    answered = true;
                    answer.accept(r.status().code(), r.content().toString(StandardCharsets.UTF_8));
                } finally {
                    ReferenceCountUtil.release(msg);
                    ctx.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (!answered) {
                    answered = true;
                    answer.accept(-1, "connection closed before an answer");
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
        f.addListener(done -> {
            if (!done.isSuccess()) {
                request.release();
                answer.accept(-1, "connect failed: " + done.cause().getMessage());
            }
        });
    }

    /** Opens a WebSocket to {@code url} ({@code ws://} or {@code wss://}) with extra upgrade headers. */
    void webSocket(EventLoop loop, URI url, Map<String, String> headers, WsListener listener) {
        HttpHeaders extra = new DefaultHttpHeaders();
        headers.forEach(extra::set);
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(url,
                WebSocketVersion.V13, null, false, extra, MAX_RESPONSE_BYTES);
        ChannelFuture f = bootstrap(loop, url, new ChannelInboundHandlerAdapter() {
            private boolean gone;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                handshaker.handshake(ctx.channel());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (!handshaker.isHandshakeComplete()) {
                        handshaker.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                        listener.upgraded(ctx.channel());
                    } else if (msg instanceof TextWebSocketFrame text) {
                        listener.text(ctx.channel(), text.text());
                    } else if (msg instanceof CloseWebSocketFrame) {
                        ctx.close();
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                fail("connection closed");
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                fail(cause.toString());
                ctx.close();
            }

            private void fail(String why) {
                if (!gone) {
                    gone = true;
                    listener.failed(why);
                }
            }
        });
        f.addListener(done -> {
            if (!done.isSuccess()) {
                listener.failed("connect failed: " + done.cause().getMessage());
            }
        });
    }

    private ChannelFuture bootstrap(EventLoop loop, URI url, ChannelInboundHandlerAdapter handler) {
        boolean secure = secure(url);
        String host = url.getHost();
        int port = port(url);
        return new Bootstrap().group(loop).channel(Transport.socketChannel(loop))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (secure) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec())
                                .addLast("http-aggregator", new HttpObjectAggregator(MAX_RESPONSE_BYTES))
                                .addLast("leg", handler);
                    }
                })
                .connect(host, port);
    }

    private static boolean secure(URI url) {
        String s = url.getScheme().toLowerCase(Locale.ROOT);
        return s.equals("https") || s.equals("wss");
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : secure(url) ? 443 : 80;
    }

    private static String pathAndQuery(URI url) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    }
}
