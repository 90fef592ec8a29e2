package dev.relay.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The floor's telephony side: registration answered as the relay answers it, every media message
 * counted once for each leg whatever the read boundaries, chunks of {@code chunk-ms} written to a
 * leg once it is up (frames before that held back, not lost), the remainder at the close.
 */
class FloorCallTest {
    /** A leg whose connection is a local channel, up when the test says so, recording its writes. */
    static final class RecordingLeg extends Leg {
        final List<Integer> chunks = new ArrayList<>();
        boolean goodbye;
        final EmbeddedChannel sink = new EmbeddedChannel();

        RecordingLeg(String callId, EventLoop loop, int chunkMs) {
            super(callId, loop, chunkMs);
        }

        @Override
        void connect() {}

        @Override
        void writeChunk(Channel ch, int bytes) {
            chunks.add(bytes);
        }

        @Override
        void writeGoodbye(Channel ch) {
            goodbye = true;
        }
    }

    private final List<RecordingLeg> legs = new ArrayList<>();

    private EmbeddedChannel call(int chunkMs) {
        return new EmbeddedChannel(new FloorCall((id, ctx) -> {
            RecordingLeg leg = new RecordingLeg(id, ctx.channel().eventLoop(), chunkMs);
            legs.add(leg);
            return List.of(leg);
        }));
    }

    private static ByteBuf text(String s) {
        ByteBuf out = Unpooled.buffer();
        ClientFrames.write(out, ClientFrames.OPCODE_TEXT, s.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    private static ByteBuf media(int n) {
        ByteBuf out = Unpooled.buffer();
        for (int i = 0; i < n; i++) {
            ClientFrames.writeZeros(out, ClientFrames.OPCODE_TEXT, 900);
        }
        return out;
    }

    @Test
    void registrationIsAnsweredAsTheRelayAnswersIt() {
        EmbeddedChannel ch = call(20);
        ch.writeInbound(text("{\"event\":\"connected\",\"callId\":\"lt0000007\",\"mobileNo\":\"7000000007\"}"));
        TextWebSocketFrame ack = ch.readOutbound();
        assertThat(ack.text()).isEqualTo("{\"event\":\"connected\",\"data\":{\"callId\":\"lt0000007\"}}");
        ack.release();
        assertThat(legs).hasSize(1);
        assertThat(legs.get(0).callId).isEqualTo("lt0000007");
        ch.finishAndReleaseAll();
    }

    @Test
    void framesBeforeTheLegIsUpAreHeldThenWrittenInChunksAndTheRestAtTheClose() {
        EmbeddedChannel ch = call(100);
        ch.writeInbound(text("{\"event\":\"connected\",\"callId\":\"c1\"}"));
        ReferenceCountUtil.release(ch.readOutbound());
        RecordingLeg leg = legs.get(0);
        ch.writeInbound(media(7));
        assertThat(leg.chunks).as("not up yet").isEmpty();
        leg.up(leg.sink);
        assertThat(leg.chunks).containsExactly(5 * Leg.FRAME_BYTES);
        ch.writeInbound(media(4));
        assertThat(leg.chunks).containsExactly(5 * Leg.FRAME_BYTES, 5 * Leg.FRAME_BYTES);
        ch.writeInbound(ClientFrames.close(ByteBufAllocator.DEFAULT));
        assertThat(leg.chunks).containsExactly(5 * Leg.FRAME_BYTES, 5 * Leg.FRAME_BYTES, Leg.FRAME_BYTES);
        assertThat(leg.goodbye).isTrue();
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1000);
        close.release();
        ch.finishAndReleaseAll();
        leg.sink.finishAndReleaseAll();
    }

    @Test
    void messagesSplitAcrossReadsCountOnceEach() {
        EmbeddedChannel ch = call(20);
        ch.writeInbound(text("{\"event\":\"connected\",\"callId\":\"c2\"}"));
        ReferenceCountUtil.release(ch.readOutbound());
        RecordingLeg leg = legs.get(0);
        leg.up(leg.sink);
        ByteBuf three = media(3);
        int cut = three.readableBytes() / 2 + 3;
        ch.writeInbound(three.readRetainedSlice(cut));
        ch.writeInbound(three);
        assertThat(leg.chunks).containsExactly(Leg.FRAME_BYTES, Leg.FRAME_BYTES, Leg.FRAME_BYTES);
        ch.finishAndReleaseAll();
        leg.sink.finishAndReleaseAll();
    }

    @Test
    void aFirstMessageThatIsNotARegistrationIsClosedWith1008() {
        EmbeddedChannel ch = call(20);
        ch.writeInbound(text("{\"event\":\"media\",\"payload\":\"AAAA\"}"));
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1008);
        close.release();
        assertThat(legs).isEmpty();
        ch.finishAndReleaseAll();
    }
}
