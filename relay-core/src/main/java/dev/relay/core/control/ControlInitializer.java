package dev.relay.core.control;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The whole admin pipeline, built in one place: HTTP codec with bounded headers, an idle timer for
 * keep-alive connections, the bounded body aggregator (JSON 413), then {@link ControlHandler}.
 * An upgrade route replaces the handler (and the idle timer) with its own.
 */
final class ControlInitializer extends ChannelInitializer<SocketChannel> {
    static final String IDLE = "idle";
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_CHUNK_BYTES = 64 * 1024;
    private static final int IDLE_SECONDS = 60;

    private final RouteTable routes;
    private final byte[] token;
    private final int maxBodyBytes;
    private final ChannelGroup channels;

    ControlInitializer(RouteTable routes, byte[] token, int maxBodyBytes, ChannelGroup channels) {
        this.routes = routes;
        this.token = token;
        this.maxBodyBytes = maxBodyBytes;
        this.channels = channels;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ch.pipeline()
                .addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, MAX_CHUNK_BYTES))
                .addLast(IDLE, new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS))
                .addLast("body", new BodyAggregator(maxBodyBytes))
                .addLast("control", new ControlHandler(routes, token));
    }
}
