package dev.relay.core.node;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An HAProxy agent-check responder ({@code agent-check} in HAProxy 2.6's server options): on each
 * connection it writes one ASCII line and closes. The line, from {@link #reply}:
 * <ul>
 *   <li>{@code ready <N>%} while ready: N is the free capacity ({@link Admission#freePercent}),
 *       at least 1, so HAProxy weighs the node by its headroom;
 *   <li>{@code ready 0%} while full: still in service (its live calls are fine), but weight 0 so
 *       HAProxy sends it no new connection, and the next reply with room restores the weight;
 *   <li>{@code drain} while draining: HAProxy's DRAIN admin state, no new connections.
 * </ul>
 * Operational up/down is left to the HTTP health check on {@code /readyz}; the agent only weighs.
 * What HAProxy sends ({@code agent-send}) is read and ignored. The relay half-closes after the
 * line and lets the checker close first (or gives up after {@value #LINGER_S} s), so that text
 * arriving after the reply can never turn the close into a reset that destroys the reply.
 *
 * <p>Runs on the relay's IO loops; {@link #start} and {@link #stop} from the thread that owns the
 * relay.
 */
public final class AgentCheck {
    static final int LINGER_S = 5;
    private final Availability state;
    private final Responder responder = new Responder();
    private Channel server;

    public AgentCheck(Availability state) {
        this.state = state;
    }

    /** The line the agent answers now, without its line feed. */
    public String reply() {
        return switch (state.state()) {
            case DRAINING -> "drain";
            case FULL -> "ready 0%";
            case READY -> "ready " + state.admission().freePercent() + "%";
        };
    }

    /** Binds {@code host:port} (blocking, start-up only) and returns the bound address. */
    public InetSocketAddress start(EventLoopGroup group, Class<? extends ServerChannel> channel, String host, int port)
            throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(LINGER_S, TimeUnit.SECONDS), responder);
                    }
                })
                .bind(host, port).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    /** Stops listening. Idempotent. */
    public void stop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    @ChannelHandler.Sharable
    private final class Responder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            byte[] line = (reply() + "\n").getBytes(StandardCharsets.US_ASCII);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(line)).addListener(f -> {
                if (f.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                    duplex.shutdownOutput();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
