package dev.relay.bench.load;

import dev.relay.core.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import javax.net.ssl.SSLException;

/**
 * Opens the simulated calls' sockets: WebSocket over TCP, or over TLS with a trust-everything
 * manager and no host-name check (the relay's certificate is self-signed in load runs). Each
 * socket is registered on its pacer's event loop. Beyond one source address, sockets are bound to
 * 127.0.0.1, 127.0.0.2, … in turn, with {@code IP_BIND_ADDRESS_NO_PORT} so the kernel still picks
 * the port per destination.
 */
final class AlohaaClients {
    /** A stalled relay backs frames up here before the generator starts counting them as blocked. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 512 * 1024);

    private final URI target;
    private final InetSocketAddress remote;
    private final SslContext ssl;
    private final int sourceIps;
    private final RunPlan plan;

    AlohaaClients(URI target, int sourceIps, RunPlan plan) throws SSLException {
        this.target = target;
        boolean secure = "wss".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() > 0 ? target.getPort() : secure ? 443 : 80;
        this.remote = new InetSocketAddress(target.getHost(), port);
        this.ssl = secure ? clientTls() : null;
        this.sourceIps = sourceIps;
        this.plan = plan;
    }

    static SslContext clientTls() throws SSLException {
        return SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .build();
    }

    /** Starts connecting {@code call} on {@code pacer}'s loop; failures end up in the call's state. */
    void connect(SimCall call, Pacer pacer) {
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                target, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 64 * 1024);
        Bootstrap b = new Bootstrap()
                .group(pacer.loop())
                .channel(Transport.socketChannel(pacer.loop()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (ssl != null) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), remote.getHostString(),
                                    remote.getPort()));
                        }
                        ch.pipeline().addLast("http", new HttpClientCodec())
                                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                                .addLast("call", new CallClientHandler(call, handshaker, pacer, plan));
                    }
                });
        call.state = SimCall.State.CONNECTING;
        call.connectStartNanos = System.nanoTime();
        ChannelFuture f;
        if (sourceIps > 1) {
            if (Transport.of(pacer.loop()) == Transport.EPOLL) {
                b.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
            }
            InetSocketAddress local = new InetSocketAddress("127.0.0." + (1 + call.index % sourceIps), 0);
            f = b.connect(remote, local);
        } else {
            f = b.connect(remote);
        }
        call.channel = f.channel();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                call.fail("connect failed: " + done.cause().getMessage());
                plan.closed(call);
            }
        });
    }
}
