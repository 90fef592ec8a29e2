package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The one base64 encoder agrees with the JDK's for every length, offset and kind of buffer. */
class Base64WriterTest {
    /** Past three whole 64-byte blocks, so every remainder and several loop trips are covered. */
    private static final int MAX_LENGTH = 200;
    private static final byte[] XY = {'x', 'y'};

    enum Destination {
        HEAP, DIRECT, POOLED_HEAP, POOLED_DIRECT, COMPOSITE;

        /** A buffer holding {@code "xy"}, its reader index at 1. */
        ByteBuf allocate() {
            ByteBuf b = switch (this) {
                case HEAP -> Unpooled.buffer(4).writeBytes(XY);
                case DIRECT -> Unpooled.directBuffer(4).writeBytes(XY);
                case POOLED_HEAP -> PooledByteBufAllocator.DEFAULT.heapBuffer(4).writeBytes(XY);
                case POOLED_DIRECT -> PooledByteBufAllocator.DEFAULT.directBuffer(4).writeBytes(XY);
                case COMPOSITE -> compositeWithoutArray();
            };
            return b.readerIndex(1);
        }

        private static CompositeByteBuf compositeWithoutArray() {
            CompositeByteBuf c = Unpooled.compositeBuffer();
            c.addComponent(true, Unpooled.directBuffer(1).writeByte('x'));
            c.addComponent(true, Unpooled.buffer(1).writeByte('y'));
            return c;
        }
    }

    @ParameterizedTest
    @EnumSource(Destination.class)
    void writesWhatTheJdkEncodesForEveryLengthAndOffset(Destination destination) {
        SplittableRandom random = new SplittableRandom(7);
        for (int length = 0; length <= MAX_LENGTH; length++) {
            for (int offset = 0; offset < 4; offset++) {
                byte[] bytes = new byte[offset + length + 3];
                random.nextBytes(bytes);
                ByteBuf dst = destination.allocate();
                try {
                    Base64Writer.write(dst, bytes, offset, length);

                    String expected = Base64.getEncoder().encodeToString(
                            Arrays.copyOfRange(bytes, offset, offset + length));
                    assertThat(dst.toString(0, dst.writerIndex(), StandardCharsets.US_ASCII))
                            .isEqualTo("xy" + expected);
                    assertThat(dst.readerIndex()).isEqualTo(1);
                    assertThat(dst.writerIndex() - 2).isEqualTo(Base64Writer.encodedLength(length));
                } finally {
                    dst.release();
                }
            }
        }
    }

    @Test
    void theDestinationsCoverBothPaths() {
        for (Destination d : Destination.values()) {
            ByteBuf b = d.allocate();
            try {
                boolean arrayPath = d == Destination.HEAP || d == Destination.POOLED_HEAP;
                assertThat(b.hasArray()).as(d.name()).isEqualTo(arrayPath);
            } finally {
                b.release();
            }
        }
    }

    @Test
    void encodesIntoAnArrayAtAnOffsetAndTouchesNothingElse() {
        SplittableRandom random = new SplittableRandom(11);
        for (int length = 0; length <= MAX_LENGTH; length++) {
            byte[] bytes = new byte[length + 1];
            random.nextBytes(bytes);
            int chars = Base64Writer.encodedLength(length);
            byte[] out = new byte[chars + 4];
            Arrays.fill(out, (byte) '#');

            int written = Base64Writer.encode(bytes, 1, length, out, 2);

            assertThat(written).isEqualTo(chars);
            String expected = Base64.getEncoder().encodeToString(Arrays.copyOfRange(bytes, 1, 1 + length));
            assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("##" + expected + "##");
        }
    }

    @Test
    void encodesEveryByteValueInEveryPositionOfAGroup() {
        for (int position = 0; position < 3; position++) {
            byte[] group = new byte[3];
            for (int v = 0; v < 256; v++) {
                group[position] = (byte) v;
                byte[] out = new byte[4];
                Base64Writer.encode(group, 0, 3, out, 0);
                assertThat(new String(out, StandardCharsets.US_ASCII))
                        .isEqualTo(Base64.getEncoder().encodeToString(group));
            }
        }
    }

    @Test
    void rejectsRangesOutsideTheArrays() {
        assertThatThrownBy(() -> Base64Writer.encode(new byte[3], 1, 3, new byte[4], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Base64Writer.encode(new byte[3], 0, 3, new byte[4], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        ByteBuf dst = Unpooled.buffer(8);
        try {
            assertThatThrownBy(() -> Base64Writer.write(dst, new byte[2], -1, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(dst.writerIndex()).isZero();
        } finally {
            dst.release();
        }
    }
}
