package dev.relay.core.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the {@code EmbeddedChannel} tests of the Socket.IO layers share. */
final class EmbeddedLayers {
    static final String OPEN_JSON = "{\"sid\":\"eio1\",\"upgrades\":[],\"pingInterval\":1000,\"pingTimeout\":500,"
            + "\"maxPayload\":1000000}";

    private EmbeddedLayers() {}

    /** Records the user events that reach the end of the pipeline (the channel's tail drops them). */
    static final class Events extends ChannelInboundHandlerAdapter {
        final List<Object> seen = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            seen.add(evt);
        }

        /** The one {@link SocketIoClose} seen so far. */
        SocketIoClose close() {
            List<Object> closes = seen.stream().filter(e -> e instanceof SocketIoClose).toList();
            assertThat(closes).hasSize(1);
            return (SocketIoClose) closes.get(0);
        }

        boolean closed() {
            return seen.stream().anyMatch(e -> e instanceof SocketIoClose);
        }
    }

    static TextWebSocketFrame text(String s) {
        return new TextWebSocketFrame(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    /** The next outbound message, which must be a text frame; its text (the frame is released). */
    static String nextText(EmbeddedChannel ch) {
        Object out = ch.readOutbound();
        assertThat(out).isInstanceOf(TextWebSocketFrame.class);
        TextWebSocketFrame frame = (TextWebSocketFrame) out;
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    /** The content of the next outbound frame of {@code type} as UTF-8 (the frame is released). */
    static String nextFrame(EmbeddedChannel ch, Class<? extends WebSocketFrame> type) {
        Object out = ch.readOutbound();
        assertThat(out).isInstanceOf(type);
        WebSocketFrame frame = (WebSocketFrame) out;
        try {
            return frame.content().toString(StandardCharsets.UTF_8);
        } finally {
            frame.release();
        }
    }

    /** {@code buf} as UTF-8, released. */
    static String drained(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
