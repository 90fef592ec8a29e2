package dev.relay.bench.floor;

import dev.relay.core.net.TransportChoice;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The floor's control port, just what the load generator reads from a relay it started:
 * {@code /readyz} (200 once listening) and {@code /metrics} with the floor's transport, heap and
 * direct memory under the names the relay exports ({@code relay_transport_info},
 * {@code jvm_memory_used_bytes{area="heap"}}, {@code jvm_buffer_pool_used_bytes{pool="direct"}}).
 * Immutable; shared by every connection.
 */
@ChannelHandler.Sharable
final class FloorControl extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final TransportChoice transport;

    FloorControl(TransportChoice transport) {
        this.transport = transport;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = request.uri();
        FullHttpResponse response;
        if (path.equals("/readyz") || path.equals("/healthz")) {
            response = text(HttpResponseStatus.OK, "{\"status\":\"ok\",\"floor\":true}");
        } else if (path.equals("/metrics")) {
            response = text(HttpResponseStatus.OK, metrics(transport));
        } else {
            response = text(HttpResponseStatus.NOT_FOUND, "not found");
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** The floor's metrics text: its transport as the relay exports it, heap and direct memory. */
    static String metrics(TransportChoice transport) {
        StringBuilder sb = new StringBuilder();
        sb.append("# TYPE relay_transport_info gauge\n");
        sb.append("relay_transport_info{transport=\"").append(transport.transport().label()).append("\",requested=\"")
                .append(transport.requested().label()).append("\"} 1\n");
        sb.append("# TYPE jvm_memory_used_bytes gauge\n");
        sb.append(String.format(Locale.ROOT, "jvm_memory_used_bytes{area=\"heap\"} %d%n",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
        sb.append("# TYPE jvm_buffer_pool_used_bytes gauge\n");
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            sb.append(String.format(Locale.ROOT, "jvm_buffer_pool_used_bytes{pool=\"%s\"} %d%n", pool.getName(),
                    pool.getMemoryUsed()));
        }
        return sb.toString();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, "close");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
