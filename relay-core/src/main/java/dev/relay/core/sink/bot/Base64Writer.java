package dev.relay.core.sink.bot;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Standard base64 (RFC 4648 §4, with padding) from one {@link ByteBuf} straight into another: the
 * caller's audio chunk becomes a {@code media} payload without a {@code byte[]} or a String in
 * between. Stateless and thread-safe; allocates nothing.
 */
final class Base64Writer {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Base64Writer() {}

    /** Characters the encoding of {@code bytes} bytes takes. */
    static int encodedLength(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /**
     * Appends the base64 of {@code src[index, index + length)} at {@code dst}'s writer index. Does not
     * move {@code src}'s indices.
     */
    static void write(ByteBuf src, int index, int length, ByteBuf dst) {
        dst.ensureWritable(encodedLength(length));
        final byte[] a = ALPHABET;
        final int whole = index + length / 3 * 3;
        int w = dst.writerIndex();
        for (int s = index; s < whole; s += 3) {
            final int v = src.getUnsignedMedium(s);
            dst.setInt(w, a[v >>> 18] << 24 | a[v >>> 12 & 63] << 16 | a[v >>> 6 & 63] << 8 | a[v & 63]);
            w += 4;
        }
        final int rest = index + length - whole;
        if (rest > 0) {
            final int v = src.getUnsignedByte(whole) << 16 | (rest == 2 ? src.getUnsignedByte(whole + 1) << 8 : 0);
            dst.setInt(w, a[v >>> 18] << 24 | a[v >>> 12 & 63] << 16 | (rest == 2 ? a[v >>> 6 & 63] : '=') << 8 | '=');
            w += 4;
        }
        dst.writerIndex(w);
    }
}
