package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.TransportMode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code relay.transport}: auto's order and its fallback when the kernel refuses io_uring (forced
 * through the probe, as {@code kernel.io_uring_disabled} or a seccomp profile would), a named
 * transport that cannot run, and the channel classes each transport's loops take.
 */
@Timeout(30)
class TransportChoiceTest {
    private static final String REFUSED =
            "RuntimeException: failed to create io_uring ring fd: Operation not permitted";

    private static Function<Transport, String> refusing(Map<Transport, String> refused) {
        return t -> refused.get(t);
    }

    @Test
    void autoTakesEpollWhenItLoads() {
        TransportChoice c = TransportChoice.select(TransportMode.AUTO, refusing(Map.of()));
        assertThat(c.transport()).isEqualTo(Transport.EPOLL);
        assertThat(c.fellBack()).isFalse();
        assertThat(c.describe()).isEqualTo("epoll (relay.transport = auto)");
    }

    @Test
    void autoIsNotDisturbedByARefusedIoUring() {
        TransportChoice c = TransportChoice.select(TransportMode.AUTO, refusing(Map.of(Transport.IO_URING, REFUSED)));
        assertThat(c.transport()).isEqualTo(Transport.EPOLL);
        assertThat(c.fellBack()).isFalse();
    }

    @Test
    void autoFallsBackToIoUringAndSaysWhyWhenEpollDoesNotLoad() {
        TransportChoice c = TransportChoice.select(TransportMode.AUTO,
                refusing(Map.of(Transport.EPOLL, "UnsatisfiedLinkError: no epoll")));
        assertThat(c.transport()).isEqualTo(Transport.IO_URING);
        assertThat(c.passedOver()).containsExactly("epoll: UnsatisfiedLinkError: no epoll");
        assertThat(c.describe())
                .isEqualTo("io_uring (relay.transport = auto; passed over epoll: UnsatisfiedLinkError: no epoll)");
    }

    @Test
    void autoEndsOnNioWhenNoNativeTransportLoads() {
        TransportChoice c = TransportChoice.select(TransportMode.AUTO,
                refusing(Map.of(Transport.IO_URING, REFUSED, Transport.EPOLL, "UnsatisfiedLinkError: no epoll")));
        assertThat(c.transport()).isEqualTo(Transport.NIO);
        assertThat(c.passedOver()).hasSize(2);
    }

    @Test
    void aNamedTransportThatCannotRunIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> TransportChoice.select(TransportMode.IO_URING,
                refusing(Map.of(Transport.IO_URING, REFUSED))))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("relay.transport")
                .hasMessageContaining("io_uring is not available here (" + REFUSED + ")");
    }

    @Test
    void aNamedTransportThatCanRunIsTakenAsIs() {
        TransportChoice c = TransportChoice.select(TransportMode.NIO);
        assertThat(c.transport()).isEqualTo(Transport.NIO);
        assertThat(c.describe()).isEqualTo("nio (relay.transport = nio)");
    }

    @Test
    void theChoiceIsExportedAsAnInfoMetric() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        TransportChoice.select(TransportMode.AUTO, refusing(Map.of(Transport.IO_URING, REFUSED))).register(registry);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("relay_transport_info{requested=\"auto\",transport=\"epoll\"} 1");
    }

    @Test
    void loopsThatRunNoSocketTransportAreRefusedByName() {
        EventLoopGroup local = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> Transport.of(local)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("runs no socket transport");
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Each transport this machine runs: its loops are recognised and carry a TCP round trip. */
    @ParameterizedTest
    @EnumSource(Transport.class)
    void eachAvailableTransportRecognisesItsLoopsAndCarriesBytes(Transport transport) throws Exception {
        assumeTrue(transport.available(), () -> transport.label() + ": " + transport.unavailability());
        EventLoopGroup loops = transport.newGroup(1);
        try {
            assertThat(Transport.of(loops)).isEqualTo(transport);
            assertThat(Transport.of(loops.next())).isEqualTo(transport);
            assertThat(Transport.socketChannel(loops)).isEqualTo(transport.socketChannelType());
            assertEchoes(loops, 1);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * Loops that coalesce wake-ups ({@code relay.dsp.io-coalesce}) still carry every message, and
     * run tasks handed to them from other threads and on timers.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "NIO"})
    void coalescingLoopsCarryEveryMessageAndRunOtherThreadsTasks(Transport transport) throws Exception {
        assumeTrue(transport.available(), () -> transport.label() + ": " + transport.unavailability());
        assertThat(transport.coalesces()).isTrue();
        EventLoopGroup loops = transport.newGroup(1, TimeUnit.MILLISECONDS.toNanos(2));
        try {
            assertThat(Transport.of(loops)).isEqualTo(transport);
            assertEchoes(loops, 50);
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            loops.next().execute(() -> ran.complete(loops.next().inEventLoop()));
            assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> timer = new CompletableFuture<>();
            loops.next().schedule(() -> timer.complete(null), 5, TimeUnit.MILLISECONDS);
            timer.get(10, TimeUnit.SECONDS);
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void ioUringLoopsDoNotCoalesce() {
        assertThat(Transport.IO_URING.coalesces()).isFalse();
    }

    /** A client sends {@code messages} lines one at a time to an echo server on {@code loops}; all come back. */
    private static void assertEchoes(EventLoopGroup loops, int messages) throws Exception {
        Channel server = new ServerBootstrap().group(loops).channel(Transport.serverChannel(loops))
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        BlockingQueue<String> echoed = new LinkedBlockingQueue<>();
        Channel client = new Bootstrap().group(loops).channel(Transport.socketChannel(loops))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                echoed.add(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                })
                .connect(server.localAddress()).sync().channel();
        try {
            for (int i = 0; i < messages; i++) {
                // One at a time, so each is a wake-up of its own, not bytes the stream merges.
                client.writeAndFlush(Unpooled.copiedBuffer("ping" + i, StandardCharsets.US_ASCII));
                assertThat(echoed.poll(10, TimeUnit.SECONDS)).isEqualTo("ping" + i);
            }
        } finally {
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void modesReadAsTheConfigWritesThem() {
        assertThat(TransportMode.parse("io_uring")).isEqualTo(TransportMode.IO_URING);
        assertThat(TransportMode.parse("io-uring")).isEqualTo(TransportMode.IO_URING);
        assertThat(TransportMode.parse("EPOLL")).isEqualTo(TransportMode.EPOLL);
        assertThat(TransportMode.parse("kqueue")).isNull();
        assertThat(Transport.byLabel("io_uring")).isEqualTo(Transport.IO_URING);
    }
}
