package dev.relay.bench.floor;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.net.TlsContexts;
import dev.relay.core.net.Transport;
import dev.relay.core.net.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The floor: a bare forwarder that stands where the relay stands, on the same transport, TLS
 * setting, IO loop count, IO wake-up coalescing ({@code relay.dsp.io-coalesce}) and sinks, and
 * does only what the socket topology cannot avoid. It accepts the telephony WebSocket the load
 * generator opens, answers its registration as the relay does, opens the call's connections to
 * the same fake sinks (the session-stream create, the Engine.IO/Socket.IO handshake: once per
 * call), and for each inbound media message writes a message of the production size to each sink
 * (640 bytes of PCM16 per 20 ms frame, grouped per sink {@code chunk-ms}): no parsing, no DSP, no
 * queues. What the relay costs beyond it is the relay's own work; see {@code docs/load-testing.md}.
 *
 * <p>Started and closed by one thread; everything else runs on its IO loops.
 */
public final class FloorRelay implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FloorRelay.class);

    private final FloorSettings settings;
    private final TransportChoice transport;
    private final EventLoopGroup io;
    private final SinkClient sinks;
    private Channel telephony;
    private Channel control;

    private FloorRelay(FloorSettings settings) throws SSLException {
        this.settings = settings;
        this.transport = TransportChoice.select(settings.relay().transport());
        this.io = transport.transport().newGroup(settings.ioThreads(),
                settings.relay().dsp().ioCoalesceMicros() * 1_000);
        this.sinks = new SinkClient();
    }

    /** Binds the telephony and control listeners of {@code config} (blocking). */
    public static FloorRelay start(RelayConfig config) throws InterruptedException, SSLException {
        FloorRelay floor = new FloorRelay(FloorSettings.from(config));
        try {
            floor.bind();
        } catch (InterruptedException | RuntimeException e) {
            floor.close();
            throw e;
        }
        return floor;
    }

    private void bind() throws InterruptedException {
        RelayConfig relay = settings.relay();
        SslContext ssl = relay.telephony().tls().enabled() ? TlsContexts.server(relay.telephony().tls()) : null;
        String path = relay.telephony().path();
        telephony = new ServerBootstrap().group(io).channel(Transport.serverChannel(io))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                                .addLast("upgrade", new FloorUpgrade(path, ssl != null, FloorRelay.this::legs));
                    }
                })
                .bind(relay.telephony().host(), relay.telephony().port()).sync().channel();
        FloorControl answers = new FloorControl(transport);
        control = new ServerBootstrap().group(io).channel(Transport.serverChannel(io))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192), answers);
                    }
                })
                .bind(relay.control().host(), relay.control().port()).sync().channel();
        log.info("floor listening: telephony {}://{}{} (transport {}, {} IO loops), sinks {}, control {}",
                ssl != null ? "wss" : "ws", telephony.localAddress(), path, transport.describe(), settings.ioThreads(),
                settings.sinks(), control.localAddress());
    }

    /** The new call's legs, connecting on the call's loop. */
    private List<Leg> legs(String callId, ChannelHandlerContext ctx) {
        List<Leg> legs = new ArrayList<>(2);
        for (String sink : settings.sinks()) {
            Leg leg = sink.equals("aiola") ? new AiolaLeg(callId, ctx.channel().eventLoop(), settings, sinks)
                    : new SessionStreamLeg(callId, ctx.channel().eventLoop(), settings, sinks);
            legs.add(leg);
            leg.connect();
        }
        return legs;
    }

    /** The floor's {@code /metrics} text (for a floor in the generator's JVM). */
    public String metricsText() {
        return FloorControl.metrics(transport);
    }

    /** The transport the floor runs on, and how it was chosen. */
    public TransportChoice transport() {
        return transport;
    }

    public InetSocketAddress telephonyAddress() {
        return (InetSocketAddress) telephony.localAddress();
    }

    public InetSocketAddress controlAddress() {
        return (InetSocketAddress) control.localAddress();
    }

    /** Closes the listeners and every socket; the loops stop within a couple of seconds. */
    @Override
    public void close() {
        if (telephony != null) {
            telephony.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (control != null) {
            control.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
