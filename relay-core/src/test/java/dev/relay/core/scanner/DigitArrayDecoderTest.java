package dev.relay.core.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Buffer JSON digit array decoder's word-at-a-time fast path must be invisible: on every input
 * it returns what a plain element-by-element reading ({@link #reference}) returns, writes the same
 * bytes, and never reads outside the range it is given.
 */
@Timeout(60)
class DigitArrayDecoderTest {
    private static final String[] ODD_ELEMENTS = {
        "0", "00", "007", "01", "255", "256", "999", "1000", "0255", "-1", "1.5", "1e2", "2E0", "9.",
        " 7", "7 ", "\t8\n", "", "x", "\"1\"", "null", "[1]", "{}", "1,", "]", ",", "ÿ", "\u0000",
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65})
    void decodesEveryByteValueAtEveryAlignment(int pad) {
        final byte[] values = new byte[256 * 3];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i * 7 + i / 256);
        }
        final byte[] doc = arrayText(" ".repeat(pad), values, "]}");
        final byte[] dst = new byte[values.length];

        final DigitArrayDecoder decoder = new DigitArrayDecoder();
        final int q = decoder.decode(doc, pad, doc.length, dst, 0, 2);

        assertThat(q).isEqualTo(doc.length - 1);
        assertThat(decoder.length).isEqualTo(values.length);
        assertThat(dst).isEqualTo(values);
    }

    @Test
    void agreesWithAnElementByElementReadingOnMutatedArrays() {
        final Random random = new Random(0xD161);
        final DigitArrayDecoder decoder = new DigitArrayDecoder();
        for (int iteration = 0; iteration < 100_000; iteration++) {
            final StringBuilder sb = new StringBuilder("{\"data\":[");
            final int start = sb.length() - 1;
            final int elements = random.nextInt(random.nextBoolean() ? 6 : 80);
            for (int i = 0; i < elements; i++) {
                sb.append(i == 0 ? "" : ",");
                sb.append(random.nextInt(40) == 0 ? ODD_ELEMENTS[random.nextInt(ODD_ELEMENTS.length)]
                        : Integer.toString(random.nextInt(256)));
            }
            sb.append(random.nextInt(20) == 0 ? "" : "]").append(random.nextBoolean() ? "}" : "},\"timestamp\":1}");
            byte[] doc = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (random.nextInt(10) == 0) {
                doc = Arrays.copyOf(doc, start + 1 + random.nextInt(doc.length - start)); // truncated anywhere
            }
            // Sometimes the array ends exactly at the end of the byte[]: the fast path must not read past it.
            final int end = random.nextBoolean() ? doc.length : Math.max(start + 1, doc.length - random.nextInt(12));
            final int capacity = random.nextInt(4) == 0 ? random.nextInt(elements + 1) : 128;
            final int dstOff = random.nextInt(3);
            final byte[] expected = new byte[capacity + dstOff];
            final byte[] actual = new byte[capacity + dstOff];
            final int[] referenceLength = new int[1];

            final int want = reference(doc, start, end, expected, dstOff, 2, referenceLength);
            final int got = decoder.decode(doc, start, end, actual, dstOff, 2);

            final String text = new String(doc, 0, end, StandardCharsets.ISO_8859_1);
            assertThat(got).as("%s (dst %d+%d)", text, dstOff, capacity).isEqualTo(want);
            if (want >= 0) {
                assertThat(decoder.length).as(text).isEqualTo(referenceLength[0]);
                assertThat(actual).as(text).isEqualTo(expected);
            }
        }
    }

    @Test
    void rejectsTooDeepArraysBeforeLookingAtThem() {
        final byte[] doc = "[1,2]".getBytes(StandardCharsets.US_ASCII);

        assertThat(new DigitArrayDecoder().decode(doc, 0, doc.length, new byte[2], 0, MediaEventScanner.MAX_DEPTH + 1))
                .isEqualTo(MediaEventRejection.TOO_DEEP.failCode());
    }

    private static byte[] arrayText(String lead, byte[] values, String tail) {
        final StringBuilder sb = new StringBuilder(lead).append('[');
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append(values[i] & 0xFF);
        }
        return sb.append(tail).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The plain reading the fast path must match: one element at a time, JSON number grammar first. */
    private static int reference(byte[] b, int p, int end, byte[] dst, int dstOff, int depth, int[] length) {
        if (depth > MediaEventScanner.MAX_DEPTH) {
            return JsonSyntax.TOO_DEEP;
        }
        int o = dstOff;
        p = JsonSyntax.skipWs(b, p + 1, end);
        if (p < end && b[p] == ']') {
            length[0] = 0;
            return p + 1;
        }
        for (;;) {
            if (p >= end) {
                return JsonSyntax.INVALID;
            }
            if (!JsonSyntax.isDigit(b[p])) {
                final int q = JsonSyntax.skipValue(b, p, end, MediaEventScanner.MAX_DEPTH - depth);
                return q < 0 ? q : MediaEventRejection.BAD_BUFFER_JSON.failCode();
            }
            int q = p;
            while (q < end && JsonSyntax.isDigit(b[q])) {
                q++;
            }
            if (b[p] == '0' && q - p > 1) {
                return JsonSyntax.INVALID;
            }
            if (q < end && (b[q] == '.' || b[q] == 'e' || b[q] == 'E')) {
                q = JsonSyntax.skipNumber(b, p, end);
                return q < 0 ? q : MediaEventRejection.BAD_BUFFER_JSON.failCode();
            }
            final String digits = new String(b, p, q - p, StandardCharsets.US_ASCII);
            if (digits.length() > 3 || Integer.parseInt(digits) > 255) {
                return MediaEventRejection.BAD_BUFFER_JSON.failCode();
            }
            if (o >= dst.length) {
                return MediaEventRejection.PAYLOAD_TOO_LARGE.failCode();
            }
            dst[o++] = (byte) Integer.parseInt(digits);
            p = JsonSyntax.skipWs(b, q, end);
            if (p >= end) {
                return JsonSyntax.INVALID;
            }
            if (b[p] == ',') {
                p = JsonSyntax.skipWs(b, p + 1, end);
            } else if (b[p] == ']') {
                length[0] = o - dstOff;
                return p + 1;
            } else {
                return JsonSyntax.INVALID;
            }
        }
    }
}
