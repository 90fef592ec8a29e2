package dev.relay.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The floor's hand-written client frames read back by Netty's server-side decoder (masks required). */
class ClientFramesTest {
    private static EmbeddedChannel server() {
        return new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build()));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 125, 126, 640, 3200, 65535, 65536, 100_000})
    void zerosOfEveryLengthClassDecodeToZeros(int length) {
        EmbeddedChannel ch = server();
        ch.writeInbound(ClientFrames.zeros(ByteBufAllocator.DEFAULT, length));
        WebSocketFrame frame = ch.readInbound();
        try {
            assertThat(frame).isInstanceOf(BinaryWebSocketFrame.class);
            ByteBuf content = frame.content();
            assertThat(content.readableBytes()).isEqualTo(length);
            for (int i = 0; i < length; i++) {
                assertThat(content.getByte(i)).isZero();
            }
        } finally {
            frame.release();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void textAndCloseFramesCarryTheirBytes() {
        EmbeddedChannel ch = server();
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer();
        ClientFrames.write(out, ClientFrames.OPCODE_TEXT,
                "451-/events,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]".getBytes(StandardCharsets.US_ASCII));
        ClientFrames.writeZeros(out, ClientFrames.OPCODE_BINARY, 3200);
        ch.writeInbound(out);
        ch.writeInbound(ClientFrames.close(ByteBufAllocator.DEFAULT));
        TextWebSocketFrame text = ch.readInbound();
        BinaryWebSocketFrame binary = ch.readInbound();
        CloseWebSocketFrame close = ch.readInbound();
        try {
            assertThat(text.text()).isEqualTo("451-/events,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]");
            assertThat(binary.content().readableBytes()).isEqualTo(3200);
            assertThat(close.statusCode()).isEqualTo(1000);
        } finally {
            text.release();
            binary.release();
            close.release();
            ch.finishAndReleaseAll();
        }
    }
}
