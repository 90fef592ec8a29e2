package dev.relay.core.sink.sessionstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.net.JsonStrings;
import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Before MediaEnvelope goes: the one Media Streams writer, with streamSid last, writes its bytes. */
class MediaEnvelopeEquivalenceTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void everyMessageIsByteForByteTheSame() {
        SplittableRandom random = new SplittableRandom(43);
        for (int round = 0; round < 2000; round++) {
            String sid = JsonStrings.random(random, 40, true, true);
            String callSid = JsonStrings.random(random, 20, true, true);
            String encoding = JsonStrings.random(random, 12, true, true);
            MediaEnvelope old = new MediaEnvelope(sid, callSid, encoding);
            MediaStreamsWriter now = new MediaStreamsWriter(sid, Layout.everywhere(SidAt.LAST));
            long seq = random.nextLong(Long.MAX_VALUE);

            int length = random.nextInt(4000);
            byte[] pcm = new byte[length];
            random.nextBytes(pcm);
            ByteBuf audio = switch (round % 3) {
                case 0 -> ALLOC.directBuffer(length + 24).writeZero(24).writeBytes(pcm).skipBytes(24);
                case 1 -> Unpooled.wrappedBuffer(pcm);
                default -> ALLOC.heapBuffer(length + 5).writeZero(5).writeBytes(pcm).skipBytes(5);
            };
            long chunk = random.nextInt(100_000);
            long ts = random.nextLong(Long.MAX_VALUE);
            ByteBuf a = old.media(ALLOC, seq, chunk, ts, audio);
            ByteBuf b = ALLOC.buffer(now.mediaLength(length));
            try {
                int readerIndex = audio.readerIndex();
                now.media(b, seq, chunk, ts, audio);
                assertThat(audio.readerIndex()).isEqualTo(readerIndex);
                assertThat(ByteBufUtil.getBytes(b)).isEqualTo(ByteBufUtil.getBytes(a));
            } finally {
                a.release();
                b.release();
                audio.release();
            }

            assertThat(written(out -> now.start(out, seq,
                    new MediaStreamsWriter.Start(callSid, null, null, encoding, MediaEnvelope.SAMPLE_RATE))))
                    .isEqualTo(bytes(old.start(ALLOC, seq)));
            assertThat(written(out -> now.stop(out, seq, callSid))).isEqualTo(bytes(old.stop(ALLOC, seq)));
        }
    }

    private static byte[] bytes(ByteBuf b) {
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] written(Consumer<ByteBuf> writer) {
        return bytes(writerOutput(writer));
    }

    private static ByteBuf writerOutput(Consumer<ByteBuf> writer) {
        ByteBuf out = ALLOC.buffer();
        writer.accept(out);
        return out;
    }
}
