package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import dev.relay.core.scanner.ReferenceJson;
import dev.relay.core.scanner.TelephonyFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class AlohaaOutboundTest {
    private static final byte[] CALL_ID = utf8("call_123456789");
    private static final int MIB = 1 << 20;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Runs {@code writer} into a heap and a pooled direct buffer, both pre-filled, and returns what it appended. */
    static String written(Consumer<ByteBuf> writer) {
        String result = null;
        for (ByteBufAllocator alloc : new ByteBufAllocator[] {Unpooled.buffer(0).alloc(),
                PooledByteBufAllocator.DEFAULT}) {
            for (boolean direct : new boolean[] {false, true}) {
                final ByteBuf out = direct ? alloc.directBuffer(4) : alloc.heapBuffer(4);
                try {
                    out.writeBytes(utf8("xyz")).readerIndex(1);
                    writer.accept(out);
                    assertThat(out.readerIndex()).isEqualTo(1);
                    assertThat(out.toString(0, 3, StandardCharsets.UTF_8)).isEqualTo("xyz");
                    final String text = out.toString(3, out.writerIndex() - 3, StandardCharsets.UTF_8);
                    assertThat(result == null || result.equals(text)).as(text).isTrue();
                    result = text;
                } finally {
                    out.release();
                }
            }
        }
        final byte[] bytes = utf8(result);
        assertThat(ReferenceJson.validate(bytes, 0, bytes.length, 32)).isEqualTo(ReferenceJson.Verdict.VALID);
        return result;
    }

    private static byte[] digits(String json) {
        final Matcher m = Pattern.compile("\"data\":\\[([0-9,]*)\\]").matcher(json);
        assertThat(m.find()).isTrue();
        if (m.group(1).isEmpty()) {
            return new byte[0];
        }
        final String[] parts = m.group(1).split(",", -1);
        final byte[] out = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            final int v = Integer.parseInt(parts[i]);
            assertThat(v).isBetween(0, 255);
            out[i] = (byte) v;
        }
        return out;
    }

    @Test
    void writesTheConnectedAcknowledgement() {
        assertThat(written(out -> AlohaaOutbound.writeConnectedAck(out, CALL_ID)))
                .isEqualTo("{\"event\":\"connected\",\"data\":{\"callId\":\"call_123456789\"}}");
    }

    @Test
    void writesInterrupt() {
        assertThat(written(out -> AlohaaOutbound.writeInterrupt(out, CALL_ID)))
                .isEqualTo("{\"event\":\"interrupt\",\"callId\":\"call_123456789\"}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersInTheCallId() {
        final byte[] id = utf8("a\"b\\c\u0001é");
        assertThat(written(out -> AlohaaOutbound.writeInterrupt(out, id)))
                .isEqualTo("{\"event\":\"interrupt\",\"callId\":\"a\\\"b\\\\c\\u0001é\"}");
        final String media = written(out -> AlohaaOutbound.writeMedia(out, id, new byte[] {1}, 0, 1, 2));
        final MediaEventScanner scanner = new MediaEventScanner();
        final byte[] doc = utf8(media.replace("\\u0001", "")); // the scanner refuses control characters
        assertThat(scanner.scan(doc, 0, doc.length, new byte[4], 0)).isEqualTo(MediaEventRejection.NONE);
        assertThat(scanner.callIdString()).isEqualTo("a\"b\\cé");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 160, 172, 8000})
    void writesMediaThatTheScannerDecodesBackToTheSameBytes(int size) {
        final byte[] audio = new byte[size + 7];
        new Random(size).nextBytes(audio);
        for (long timestamp : new long[] {0, 1649433600000L, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            final String json = written(out -> AlohaaOutbound.writeMedia(out, CALL_ID, audio, 7, size, timestamp));

            assertThat(json).startsWith("{\"event\":\"media\",\"callId\":\"call_123456789\",\"payload\":"
                    + "{\"type\":\"Buffer\",\"data\":[").endsWith("]},\"timestamp\":" + timestamp + "}");
            assertThat(digits(json)).isEqualTo(Arrays.copyOfRange(audio, 7, 7 + size));
            final TelephonyFrames.Scanned s = TelephonyFrames.scanAllWays(json, size);
            assertThat(s.rejection()).isEqualTo(MediaEventRejection.NONE);
            assertThat(s.callId()).isEqualTo("call_123456789");
            assertThat(s.payload()).isEqualTo(Arrays.copyOfRange(audio, 7, 7 + size));
            assertThat(s.timestamp()).isEqualTo(timestamp);
        }
    }

    @Test
    void writesEveryByteValueAsItsDecimalDigits() {
        final byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        final String json = written(out -> AlohaaOutbound.writeGreeting(out, all, 0, all.length));

        assertThat(json).startsWith("{\"event\":\"greeting\",\"payload\":{\"type\":\"Buffer\",\"data\":[0,1,2,")
                .contains(",99,100,").endsWith(",254,255]}}");
        assertThat(digits(json)).isEqualTo(all);
    }

    @Test
    void writesAnEmptyGreeting() {
        assertThat(written(out -> AlohaaOutbound.writeGreeting(out, new byte[3], 3, 0)))
                .isEqualTo("{\"event\":\"greeting\",\"payload\":{\"type\":\"Buffer\",\"data\":[]}}");
    }

    @Test
    void maxAudioBytesPerMessageIsTightForTheWorstCase() {
        for (int max : new int[] {MIB, 1000, 1001, 1002, 1003}) {
            for (int idLen : new int[] {0, 1, 24, 128}) {
                final byte[] worstId = new byte[idLen];
                Arrays.fill(worstId, (byte) 0x01); // escapes to six bytes each
                final int n = AlohaaOutbound.maxAudioBytesPerMessage(max, idLen);
                assertThat(n).isPositive();

                assertThat(mediaLength(worstId, n, Long.MIN_VALUE)).isLessThanOrEqualTo(max);
                assertThat(mediaLength(worstId, n + 1, Long.MIN_VALUE)).isGreaterThan(max);
            }
            final int typical = AlohaaOutbound.maxAudioBytesPerMessage(max, CALL_ID.length);
            assertThat(mediaLength(CALL_ID, typical, 1649433600000L)).isLessThanOrEqualTo(max);
        }
        assertThat(AlohaaOutbound.maxAudioBytesPerMessage(MIB, 24)).isGreaterThan(262_000);
        assertThat(AlohaaOutbound.maxAudioBytesPerMessage(50, 24)).isZero();
    }

    @Test
    void maxGreetingAudioBytesIsTight() {
        final int n = AlohaaOutbound.maxGreetingAudioBytes(MIB);
        assertThat(greetingLength(n)).isLessThanOrEqualTo(MIB);
        assertThat(greetingLength(n + 1)).isGreaterThan(MIB);
    }

    private static int mediaLength(byte[] id, int audioBytes, long timestamp) {
        final byte[] audio = new byte[audioBytes];
        Arrays.fill(audio, (byte) 0xFF);
        final ByteBuf out = Unpooled.buffer();
        try {
            AlohaaOutbound.writeMedia(out, id, audio, 0, audioBytes, timestamp);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    private static int greetingLength(int audioBytes) {
        final byte[] audio = new byte[audioBytes];
        Arrays.fill(audio, (byte) 0xFF);
        final ByteBuf out = Unpooled.buffer();
        try {
            AlohaaOutbound.writeGreeting(out, audio, 0, audioBytes);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
