package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Base64WriterTest {
    @Test
    void matchesTheJdkEncoderForEveryLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length < 70; length++) {
            for (int offset = 0; offset < 4; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                random.nextBytes(bytes);
                ByteBuf src = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
                src.readerIndex(1);
                ByteBuf dst = Unpooled.buffer(4).writeByte('x');
                try {
                    Base64Writer.write(src, offset, length, dst);
                    String expected = "x" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(bytes, offset,
                            offset + length));
                    assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
                    assertThat(dst.readableBytes() - 1).isEqualTo(Base64Writer.encodedLength(length));
                    assertThat(src.readerIndex()).as("source indices untouched").isEqualTo(1);
                } finally {
                    src.release();
                    dst.release();
                }
            }
        }
    }
}
