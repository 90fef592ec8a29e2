package dev.relay.core.control;

import dev.relay.core.net.http.ControlResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * Netty's aggregator with the admin API's bound and error shape: a body over
 * {@code relay.control.max-body-bytes} gets a JSON 413 {@code body_too_large}, whether the
 * {@code Content-Length} says so up front (also in answer to {@code Expect: 100-continue}) or the
 * body only grows past it while streaming. The rest of an oversized body is read and discarded
 * (Netty's aggregator does that) so the client sees the 413 rather than a reset; when the request
 * was not keep-alive, or was already complete, the connection closes after the response.
 */
final class BodyAggregator extends HttpObjectAggregator {
    BodyAggregator(int maxBodyBytes) {
        super(maxBodyBytes, false);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse r && r.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
            ReferenceCountUtil.release(r);
            return tooLarge(maxContentLength, true);
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        boolean keepAlive = !(oversized instanceof FullHttpMessage) && ctx.channel().config().isAutoRead()
                && (HttpUtil.is100ContinueExpected(oversized) || HttpUtil.isKeepAlive(oversized));
        ctx.writeAndFlush(tooLarge(maxContentLength(), keepAlive)).addListener(keepAlive
                ? ChannelFutureListener.CLOSE_ON_FAILURE
                : ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse tooLarge(int maxBodyBytes, boolean keepAlive) {
        ControlResponse body = ControlResponse.error(413, "body_too_large",
                "request body over " + maxBodyBytes + " bytes (relay.control.max-body-bytes)");
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, body.contentType());
        HttpUtil.setContentLength(r, body.body().length);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }
}
