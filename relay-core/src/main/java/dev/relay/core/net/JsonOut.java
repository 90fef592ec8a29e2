package dev.relay.core.net;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Allocation-free JSON writing primitives for the outbound encoders: escaped
 * strings, longs, and byte arrays as decimal digit lists, written straight into a
 * {@link ByteBuf} at its writer index.
 */
public final class JsonOut {
    /** Longest decimal long, {@code -9223372036854775808}. */
    public static final int MAX_LONG_CHARS = 20;
    /** Worst-case escaped size of one string byte ({@code \u005Cu00XX}). */
    public static final int MAX_ESCAPED_BYTES_PER_BYTE = 6;
    /** Worst-case size of one byte in a digit list ({@code 255,}). */
    public static final int MAX_DIGIT_CHARS_PER_BYTE = 4;

    /**
     * Byte value v as ASCII decimal followed by a comma, packed big-endian into an
     * int so one {@code setInt} writes it; bytes past the length are overwritten by
     * the next element.
     */
    private static final int[] DIGITS_COMMA = new int[256];
    private static final byte[] DIGITS_COMMA_LENGTH = new byte[256];
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN_LONG = ascii(Long.toString(Long.MIN_VALUE));

    static {
        for (int v = 0; v < 256; v++) {
            final byte[] text = ascii(v + ",");
            int packed = 0;
            for (int i = 0; i < 4; i++) {
                packed = packed << 8 | (i < text.length ? text[i] : 0);
            }
            DIGITS_COMMA[v] = packed;
            DIGITS_COMMA_LENGTH[v] = (byte) text.length;
        }
    }

    private JsonOut() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Size of {@code utf8} once escaped as the contents of a JSON string. */
    public static int escapedLength(byte[] utf8) {
        int n = utf8.length;
        for (byte c : utf8) {
            if (c == '"' || c == '\\') {
                n += 1;
            } else if (c >= 0 && c < 0x20) {
                n += MAX_ESCAPED_BYTES_PER_BYTE - 1;
            }
        }
        return n;
    }

    /** Writes {@code utf8} escaped as JSON string contents (no quotes); {@code escapedLength} is its size. */
    public static void writeEscaped(ByteBuf out, byte[] utf8, int escapedLength) {
        if (escapedLength == utf8.length) {
            out.writeBytes(utf8);
            return;
        }
        for (byte c : utf8) {
            if (c == '"' || c == '\\') {
                out.writeByte('\\').writeByte(c);
            } else if (c >= 0 && c < 0x20) {
                out.writeByte('\\').writeByte('u').writeByte('0').writeByte('0')
                        .writeByte(HEX[c >>> 4]).writeByte(HEX[c & 0xF]);
            } else {
                out.writeByte(c);
            }
        }
    }

    /** Writes {@code v} in decimal, digits straight into the buffer (no String). */
    public static void writeLong(ByteBuf out, long v) {
        if (v == Long.MIN_VALUE) {
            out.writeBytes(MIN_LONG);
            return;
        }
        if (v < 0) {
            out.writeByte('-');
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        out.ensureWritable(digits);
        final int w = out.writerIndex();
        for (int i = w + digits - 1; i >= w; i--) {
            out.setByte(i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(w + digits);
    }

    /** Worst-case size of {@link #writeDigitList} for {@code len} bytes. */
    public static int maxDigitListLength(int len) {
        return len == 0 ? 0 : MAX_DIGIT_CHARS_PER_BYTE * len - 1;
    }

    /** Writes {@code src[off..off+len)} as {@code 12,34,255} (no brackets). */
    public static void writeDigitList(ByteBuf out, byte[] src, int off, int len) {
        if (len == 0) {
            return;
        }
        out.ensureWritable(MAX_DIGIT_CHARS_PER_BYTE * len); // room for the last element's 4-byte store
        final int[] packed = DIGITS_COMMA;
        final byte[] lengths = DIGITS_COMMA_LENGTH;
        final int end = off + len;
        int w = out.writerIndex();
        if (out.hasArray()) {
            final byte[] a = out.array();
            int i = out.arrayOffset() + w;
            final int start = i;
            for (int s = off; s < end; s++) {
                final int v = src[s] & 0xFF;
                INT_BE.set(a, i, packed[v]);
                i += lengths[v];
            }
            w += i - start;
        } else {
            for (int s = off; s < end; s++) {
                final int v = src[s] & 0xFF;
                out.setInt(w, packed[v]);
                w += lengths[v];
            }
        }
        out.writerIndex(w - 1); // drop the trailing comma
    }
}
