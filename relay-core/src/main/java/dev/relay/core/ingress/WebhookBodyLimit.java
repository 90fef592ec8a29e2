package dev.relay.core.ingress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Lets the webhook path carry a larger body than any other request on the public port: on each
 * request head it puts in the aggregator whose bound fits the path. Per request, not per
 * connection, because a connection can outlive a request (after a 413 Netty keeps a keep-alive
 * connection open). {@link UpgradeHandler} removes it at the WebSocket upgrade, so frames never
 * pass through it.
 */
final class WebhookBodyLimit extends ChannelInboundHandlerAdapter {
    static final String NAME = "webhook-body-limit";

    private final String path;
    private final int webhookMaxBytes;
    private final int otherMaxBytes;

    WebhookBodyLimit(String path, int webhookMaxBytes, int otherMaxBytes) {
        this.path = path;
        this.webhookMaxBytes = webhookMaxBytes;
        this.otherMaxBytes = otherMaxBytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            int wanted = new QueryStringDecoder(request.uri()).path().equals(path) ? webhookMaxBytes : otherMaxBytes;
            HttpObjectAggregator current = (HttpObjectAggregator) ctx.pipeline().get(TelephonyInitializer.AGGREGATOR);
            if (current != null && current.maxContentLength() != wanted) {
                ctx.pipeline().replace(current, TelephonyInitializer.AGGREGATOR, new HttpObjectAggregator(wanted));
            }
        }
        ctx.fireChannelRead(msg);
    }
}
