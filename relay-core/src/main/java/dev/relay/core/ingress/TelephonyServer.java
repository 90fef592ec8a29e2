package dev.relay.core.ingress;

import dev.relay.core.call.CallFactory;
import dev.relay.core.config.TelephonyConfig;
import dev.relay.core.net.ReloadableTls;
import dev.relay.core.net.Transport;
import dev.relay.core.net.http.ControlRoute;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;

/**
 * The public telephony listener. Binds on start, stops accepting on {@link #stopAccepting}, and
 * at shutdown tells every socket, registered or not, that the relay is going away (1001).
 */
public final class TelephonyServer {
    private final TelephonyConfig config;
    private final CallFactory calls;
    private final EventLoopGroup group;
    private final ControlRoute webhook;
    private final ChannelHandler admission;
    private final ChannelGroup channels = new DefaultChannelGroup("telephony", GlobalEventExecutor.INSTANCE);
    private Channel server;
    private ReloadableTls tls;

    public TelephonyServer(TelephonyConfig config, CallFactory calls, EventLoopGroup group) {
        this(config, calls, group, null);
    }

    /** @param webhook the provider's webhook endpoint to serve on this port, or null for none */
    public TelephonyServer(TelephonyConfig config, CallFactory calls, EventLoopGroup group, ControlRoute webhook) {
        this(config, calls, group, webhook, null);
    }

    /**
     * @param webhook the provider's webhook endpoint to serve on this port, or null for none
     * @param admission a sharable handler that admits or refuses upgrade requests, or null
     */
    public TelephonyServer(TelephonyConfig config, CallFactory calls, EventLoopGroup group, ControlRoute webhook,
            ChannelHandler admission) {
        this.admission = admission;
        this.config = config;
        this.calls = calls;
        this.group = group;
        this.webhook = webhook;
    }

    /** Binds (blocking, start-up only) and returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        tls = config.tls().enabled() ? ReloadableTls.start(config.tls()) : null;
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel(group))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Outbound audio past 1 MiB queued per socket means the peer is not reading:
                // sessions drop their own audio rather than the connection (see channelWritability).
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new TelephonyInitializer(calls, config, tls, channels, webhook, admission));
        server = b.bind(config.host(), config.port()).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops accepting new sockets (and watching the certificate); live calls continue. */
    public void stopAccepting() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (tls != null) {
            tls.close();
        }
    }

    /**
     * Reads the configured certificate and key again (SIGHUP); new handshakes use them when they
     * changed and are a good pair, live calls keep theirs. False when nothing was replaced (no TLS,
     * unchanged files, or a bad pair, which is logged). Blocking file IO: not on an event loop.
     */
    public boolean reloadCertificates(String trigger) {
        return tls != null && tls.reload(trigger);
    }

    /** Sends 1001 to every open telephony socket and closes it. */
    public void goAway() {
        channels.forEach(ch -> ch.eventLoop().execute(() -> {
            TelephonySocketHandler socket = ch.pipeline().get(TelephonySocketHandler.class);
            if (socket != null) {
                socket.close(CloseCodes.GOING_AWAY, "relay shutting down");
            } else {
                ch.close();
            }
        }));
    }

    /** Closes every socket still open without waiting for close frames (end of the drain). */
    public void closeAll() {
        channels.close().awaitUninterruptibly(1000);
    }

    /** Open telephony sockets, registered or not. */
    public int openSockets() {
        return channels.size();
    }
}
