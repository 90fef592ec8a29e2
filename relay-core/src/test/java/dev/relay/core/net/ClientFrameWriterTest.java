package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Frames written in place decode, through Netty's server-side decoder (which insists on masked
 * client frames), to exactly the payload that was framed, for every header length and every
 * masking remainder.
 */
class ClientFrameWriterTest {
    private static final int HEADROOM = 24;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 640, 3200, 65535, 65536, 70001})
    void framesInPlaceWhatTheServerDecoderReadsBack(int length) {
        byte[] payload = randomBytes(length, length);
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(HEADROOM + length);
        chunk.writeZero(HEADROOM).writeBytes(payload).readerIndex(HEADROOM);

        ByteBuf frame = ClientFrameWriter.frameInPlace(chunk, ClientFrameWriter.OPCODE_BINARY);

        assertThat(frame).isSameAs(chunk);
        assertThat(frame.readableBytes()).isEqualTo(ClientFrameWriter.headerBytes(length) + length);
        assertThat(decodeOne(frame)).isInstanceOf(BinaryWebSocketFrame.class).satisfies(f -> {
            assertThat(ByteBufUtil.getBytes(f.content())).isEqualTo(payload);
            f.release();
        });
    }

    @Test
    void masksBuffersWithoutOneNioViewToo() {
        byte[] payload = randomBytes(37, 5);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.buffer(HEADROOM + 10).writeZero(HEADROOM).writeBytes(payload, 0, 10));
        composite.addComponent(true, Unpooled.directBuffer(27).writeBytes(payload, 10, 27));
        composite.readerIndex(HEADROOM);

        WebSocketFrame decoded = decodeOne(ClientFrameWriter.frameInPlace(composite, ClientFrameWriter.OPCODE_BINARY));

        assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
        decoded.release();
    }

    @Test
    void writesASmallTextFrameIntoABuffer() {
        byte[] text = "451-[\"binary_data\",{\"_placeholder\":true,\"num\":0}]".getBytes(StandardCharsets.UTF_8);
        ByteBuf out = Unpooled.buffer().writeByte('x').readerIndex(1);

        ClientFrameWriter.write(out, ClientFrameWriter.OPCODE_TEXT, text);

        WebSocketFrame decoded = decodeOne(out);
        assertThat(decoded).isInstanceOf(TextWebSocketFrame.class);
        assertThat(((TextWebSocketFrame) decoded).text()).isEqualTo(new String(text, StandardCharsets.UTF_8));
        decoded.release();
    }

    @Test
    void refusesABufferWithoutHeadroom() {
        ByteBuf chunk = Unpooled.buffer(16).writeZero(16).readerIndex(5);
        try {
            assertThatThrownBy(() -> ClientFrameWriter.frameInPlace(chunk, ClientFrameWriter.OPCODE_BINARY))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            chunk.release();
        }
    }

    /** Decodes exactly one frame from {@code wire} (released) with a server's decoder. */
    private static WebSocketFrame decodeOne(ByteBuf wire) {
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true).maxFramePayloadLength(1 << 20).build();
        EmbeddedChannel server = new EmbeddedChannel(new WebSocket13FrameDecoder(config));
        try {
            server.writeInbound(wire);
            WebSocketFrame frame = server.readInbound();
            assertThat(frame).isNotNull();
            Object more = server.readInbound();
            assertThat(more).isNull();
            return frame;
        } finally {
            server.finishAndReleaseAll();
        }
    }

    private static byte[] randomBytes(int length, long seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
