package dev.relay.core.ingress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes the place of the WebSocket frame decoder once it has seen a protocol violation (a frame
 * over {@code max-message-bytes}, a reserved opcode, …): from then on the bytes cannot be framed,
 * so every byte the peer still sends is read and dropped until it closes or the close timeout
 * does. Reading on matters: a peer still writing (the rest of a 2 MiB message) into a socket that
 * is closed under it gets a reset, and a reset wipes the close frame from its receive buffer, so
 * it would report 1006 instead of our code. Netty's decoder, told not to close on a violation,
 * would drop the rest too, but one byte per decode call.
 *
 * <p>IO loop only; stateless.
 */
final class DiscardingDecoder extends ChannelInboundHandlerAdapter {
    static final String NAME = "ws-discard";

    /** Swaps the pipeline's frame decoder for a discarding handler; no-op when there is none. */
    static void replaceDecoder(ChannelPipeline pipeline) {
        WebSocketFrameDecoder decoder = pipeline.get(WebSocketFrameDecoder.class);
        if (decoder != null) {
            pipeline.replace(decoder, NAME, new DiscardingDecoder());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
