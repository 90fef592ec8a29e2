package dev.relay.core.socketio;

import dev.relay.core.net.OffLoopResolver;
import dev.relay.core.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslHandler;

/**
 * Opens {@link SocketIoConnection}s: one channel per connection, registered on the event loop the
 * caller names (a call's IO loop, so its sockets share one thread), host names resolved off that
 * loop ({@link OffLoopResolver}). The whole pipeline is built here, one handler per layer: [TLS] →
 * HTTP codec → aggregator for the upgrade response → {@link WebSocketUpgrade} → {@link EngineIoHandler}
 * → {@link SocketIoHandler} → the {@link SocketIoConnection}; after the upgrade the WebSocket codec and
 * a frame aggregator take the place of the HTTP part and the upgrade handler.
 */
public final class SocketIoClient {
    private static final int MAX_UPGRADE_RESPONSE_BYTES = 16 * 1024;

    private SocketIoClient() {}

    /** Starts connecting on {@code loop}; the outcome arrives through {@code listener}. Call on {@code loop}. */
    public static SocketIoConnection connect(EventLoop loop, SocketIoOptions options, SocketIoListener listener) {
        SocketIoHandler socketIo = new SocketIoHandler(options);
        SocketIoConnection connection = new SocketIoConnection(options, listener, socketIo);
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(Transport.socketChannel(loop))
                .resolver(OffLoopResolver.INSTANCE)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                options.connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (options.ssl() != null) {
                            SslHandler tls = options.ssl().newHandler(ch.alloc(), options.host(), options.port());
                            tls.setHandshakeTimeoutMillis(options.connectTimeoutMs());
                            p.addLast("tls", tls);
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_RESPONSE_BYTES));
                        p.addLast("ws-upgrade", new WebSocketUpgrade(options));
                        p.addLast("engine.io", new EngineIoHandler());
                        p.addLast("socket.io", socketIo);
                        p.addLast("connection", connection);
                    }
                });
        connection.started(bootstrap.connect(options.host(), options.port()));
        return connection;
    }
}
