package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fakes' frame reader: whole binary messages reach the sink unmasked as views, in order with
 * the text frames around them; fragments and control frames become Netty frames; unmasked frames
 * and oversized messages close the connection with the RFC's codes.
 */
class ClientFrameReaderTest {
    private final List<String> seen = new ArrayList<>();

    private EmbeddedChannel reader(int max) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(new ClientFrameReader(max, (payload, arrival) -> seen.add("binary:" + payload
                .toString(StandardCharsets.US_ASCII))));
        ch.pipeline().addLast(new SimpleChannelInboundHandler<WebSocketFrame>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame f) {
                seen.add(f.getClass().getSimpleName() + ":" + f.content().toString(StandardCharsets.US_ASCII));
            }
        });
        return ch;
    }

    /** Client frames as a real client masks them (Netty's encoder with masking on). */
    private static ByteBuf encode(WebSocketFrame... frames) {
        EmbeddedChannel enc = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        ByteBuf all = Unpooled.buffer();
        for (WebSocketFrame f : frames) {
            enc.writeOutbound(f);
            for (ByteBuf b; (b = enc.readOutbound()) != null; ) {
                all.writeBytes(b);
                b.release();
            }
        }
        enc.finishAndReleaseAll();
        return all;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void binaryMessagesArriveUnmaskedInOrderWithTheTextAroundThem() {
        EmbeddedChannel ch = reader(1 << 20);
        ByteBuf bytes = encode(new TextWebSocketFrame("451-/events,[header]"), new BinaryWebSocketFrame(ascii("pcm-1")),
                new TextWebSocketFrame("451-/events,[header]"), new BinaryWebSocketFrame(ascii("pcm-two")));
        // Split mid-frame: the reader waits for the rest.
        ch.writeInbound(bytes.readRetainedSlice(bytes.readableBytes() - 3));
        ch.writeInbound(bytes);
        assertThat(seen).containsExactly("TextWebSocketFrame:451-/events,[header]", "binary:pcm-1",
                "TextWebSocketFrame:451-/events,[header]", "binary:pcm-two");
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void fragmentsAndCloseBecomeNettyFrames() {
        EmbeddedChannel ch = reader(1 << 20);
        ch.writeInbound(encode(new BinaryWebSocketFrame(false, 0, ascii("part-")),
                new ContinuationWebSocketFrame(true, 0, ascii("end")), new CloseWebSocketFrame(1000, "bye")));
        assertThat(seen).hasSize(3);
        assertThat(seen.get(0)).isEqualTo("BinaryWebSocketFrame:part-");
        assertThat(seen.get(1)).isEqualTo("ContinuationWebSocketFrame:end");
        assertThat(seen.get(2)).startsWith("CloseWebSocketFrame:");
        ch.finishAndReleaseAll();
    }

    @Test
    void anUnmaskedFrameClosesWith1002() {
        EmbeddedChannel ch = reader(1 << 20);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x82, 0x02, 'h', 'i'}));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1002);
        close.release();
        assertThat(seen).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aMessageOverTheLimitClosesWith1009() {
        EmbeddedChannel ch = reader(16);
        ch.writeInbound(encode(new BinaryWebSocketFrame(ascii("seventeen bytes!!"))));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1009);
        close.release();
        assertThat(seen).isEmpty();
        ch.finishAndReleaseAll();
    }
}
