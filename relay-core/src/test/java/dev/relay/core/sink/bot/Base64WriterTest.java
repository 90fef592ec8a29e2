package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64WriterTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void matchesTheJdkEncoderForEveryLengthAndOffset(boolean heap) {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length < 70; length++) {
            for (int offset = 0; offset < 4; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                random.nextBytes(bytes);
                ByteBuf dst = (heap ? Unpooled.buffer(4) : Unpooled.directBuffer(4)).writeByte('x');
                try {
                    Base64Writer.write(bytes, offset, length, dst);
                    String expected = "x" + Base64.getEncoder().encodeToString(
                            Arrays.copyOfRange(bytes, offset, offset + length));
                    assertThat(dst.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
                    assertThat(dst.readableBytes() - 1).isEqualTo(Base64Writer.encodedLength(length));
                } finally {
                    dst.release();
                }
            }
        }
    }
}
