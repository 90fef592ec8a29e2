package dev.relay.core.telephony;

import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;

/**
 * The whole telephony pipeline, built in one place: TLS, HTTP codec, a bounded aggregator for the
 * upgrade request (with a read timeout so half-open handshakes cannot pile up), then
 * {@link UpgradeHandler}, which swaps in the WebSocket handlers.
 */
public final class TelephonyInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_UPGRADE_REQUEST_BYTES = 16 * 1024;
    private static final int HANDSHAKE_TIMEOUT_S = 10;

    private final CallFactory calls;
    private final TelephonyConfig config;
    private final SslContext ssl;
    private final ChannelGroup channels;

    /** @param ssl TLS context, or null for plain {@code ws://} */
    public TelephonyInitializer(CallFactory calls, TelephonyConfig config, SslContext ssl, ChannelGroup channels) {
        this.calls = calls;
        this.config = config;
        this.ssl = ssl;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (channels.size() >= config.maxConnections()) {
            TelephonyCounters.reject("max_connections");
            ch.close();
            return;
        }
        channels.add(ch);
        if (ssl != null) {
            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast("handshake-timeout", new ReadTimeoutHandler(HANDSHAKE_TIMEOUT_S, TimeUnit.SECONDS))
                .addLast("http", new HttpServerCodec(4096, 8192, 8192))
                .addLast("http-aggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES))
                .addLast("upgrade", new UpgradeHandler(calls, config));
    }
}
