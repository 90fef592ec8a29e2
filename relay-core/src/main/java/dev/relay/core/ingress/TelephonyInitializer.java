package dev.relay.core.ingress;

import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;
import dev.relay.core.net.http.ControlRoute;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The whole telephony pipeline, built in one place: TLS, HTTP codec, a bounded aggregator for the
 * upgrade request (with a read timeout so half-open handshakes cannot pile up), then
 * {@link UpgradeHandler}, which swaps in the WebSocket handlers or serves the provider's webhook.
 */
public final class TelephonyInitializer extends ChannelInitializer<SocketChannel> {
    static final String AGGREGATOR = "http-aggregator";
    private static final int MAX_UPGRADE_REQUEST_BYTES = 16 * 1024;
    /** Bound on a webhook body (the only request on this port that carries one). */
    static final int MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
    private static final int HANDSHAKE_TIMEOUT_S = 10;

    private final CallFactory calls;
    private final TelephonyConfig config;
    private final Supplier<SslContext> ssl;
    private final ChannelGroup channels;
    private final ControlRoute webhook;
    private final ChannelHandler admission;

    /** @param ssl TLS context, or null for plain {@code ws://} */
    public TelephonyInitializer(CallFactory calls, TelephonyConfig config, SslContext ssl, ChannelGroup channels) {
        this(calls, config, ssl, channels, null);
    }

    /**
     * @param ssl TLS context, or null for plain {@code ws://}
     * @param webhook the provider's webhook endpoint served on this port, or null for none
     */
    public TelephonyInitializer(CallFactory calls, TelephonyConfig config, SslContext ssl, ChannelGroup channels,
            ControlRoute webhook) {
        this(calls, config, ssl, channels, webhook, null);
    }

    /**
     * @param webhook the provider's webhook endpoint served on this port, or null for none
     * @param admission a sharable handler that sees each aggregated request before the upgrade
     *     handler (admission control), or null
     */
    public TelephonyInitializer(CallFactory calls, TelephonyConfig config, SslContext ssl, ChannelGroup channels,
            ControlRoute webhook, ChannelHandler admission) {
        this(calls, config, ssl == null ? null : () -> ssl, channels, webhook, admission);
    }

    /**
     * @param ssl the TLS context for each new connection, read as it is accepted (a reloaded
     *     certificate takes effect for the next handshake), or null for plain {@code ws://}
     * @param webhook the provider's webhook endpoint served on this port, or null for none
     * @param admission a sharable handler that sees each aggregated request before the upgrade
     *     handler (admission control), or null
     */
    public TelephonyInitializer(CallFactory calls, TelephonyConfig config, Supplier<SslContext> ssl,
            ChannelGroup channels, ControlRoute webhook, ChannelHandler admission) {
        this.admission = admission;
        this.calls = calls;
        this.config = config;
        this.ssl = ssl;
        this.channels = channels;
        this.webhook = webhook;
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
            ch.pipeline().addLast("tls", ssl.get().newHandler(ch.alloc()));
        }
        ch.pipeline()
                .addLast("handshake-timeout", new ReadTimeoutHandler(HANDSHAKE_TIMEOUT_S, TimeUnit.SECONDS))
                .addLast("http", new HttpServerCodec(4096, 8192, 8192));
        if (webhook != null) {
            ch.pipeline().addLast(WebhookBodyLimit.NAME,
                    new WebhookBodyLimit(webhook.pattern(), MAX_WEBHOOK_BODY_BYTES, MAX_UPGRADE_REQUEST_BYTES));
        }
        ch.pipeline()
                .addLast(AGGREGATOR, new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BYTES));
        if (admission != null) {
            ch.pipeline().addLast("admission", admission);
        }
        ch.pipeline().addLast("upgrade", new UpgradeHandler(calls, config, webhook));
    }
}
