package dev.relay.core.control;

import dev.relay.core.config.ControlConfig;
import dev.relay.core.net.Transport;
import dev.relay.core.net.http.ControlRoute;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener (SPEC §6), separate from the public media port, on the relay's IO
 * loops. Bearer auth with {@code relay.control.token}; without a token it binds loopback only,
 * whatever {@code relay.control.host} says, and logs a warning saying so.
 *
 * <p>Routes are given whole at construction; see {@link ControlRoute} for what they may do.
 * {@link #start} and {@link #stop} are called once each, from the thread that owns the relay.
 */
public final class ControlServer {
    /** Fired down every open admin connection by {@link #stop}: long-lived ones say goodbye. */
    public static final Object GOING_AWAY = new Object() {
        @Override
        public String toString() {
            return "GOING_AWAY";
        }
    };

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final String LOOPBACK = "127.0.0.1";

    private final ControlConfig config;
    private final EventLoopGroup group;
    private final RouteTable routes;
    private final ChannelGroup channels = new DefaultChannelGroup("control", GlobalEventExecutor.INSTANCE);
    private Channel server;

    public ControlServer(ControlConfig config, EventLoopGroup group, List<? extends ControlRoute> routes) {
        this.config = config;
        this.group = group;
        this.routes = new RouteTable(routes);
    }

    /** Binds (blocking, start-up only) and returns the bound address. */
    public InetSocketAddress start() throws InterruptedException {
        byte[] token = config.token().isEmpty() ? null : config.token().getBytes(StandardCharsets.UTF_8);
        String host = config.host();
        if (token == null) {
            if (!isLoopback(host)) {
                log.warn("relay.control.token is empty: the control API has no auth, so it binds {} instead of "
                        + "relay.control.host={}; set RELAY_CONTROL_TOKEN to listen there", LOOPBACK, host);
                host = LOOPBACK;
            } else {
                log.warn("relay.control.token is empty: the control API has no auth and listens on loopback only ({})",
                        host);
            }
        }
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel(group))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ControlInitializer(routes, token, config.maxBodyBytes(), channels));
        server = b.bind(host, config.port()).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * Stops listening, tells long-lived connections (event streams) that the relay is going away,
     * and closes every admin connection. Blocks up to about a second. Idempotent.
     */
    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        for (Channel ch : channels) {
            ch.pipeline().fireUserEventTriggered(GOING_AWAY);
        }
        channels.close().awaitUninterruptibly(1000);
    }

    /** Open admin connections (HTTP and event streams). */
    public int openConnections() {
        return channels.size();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
