package dev.relay.core.sink.bot;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Standard base64 (RFC 4648 §4, with padding) straight into a {@link ByteBuf}: the caller's audio
 * becomes a {@code media} payload without a String or an intermediate encoded array. A heap buffer
 * is written through its backing array (no per-group bounds checks or leak-detector records); any
 * other buffer four characters at a time. Stateless and thread-safe; allocates nothing.
 */
final class Base64Writer {
    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);

    private Base64Writer() {}

    /** Characters the encoding of {@code bytes} bytes takes. */
    static int encodedLength(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** Appends the base64 of {@code src[off, off + len)} at {@code dst}'s writer index. */
    static void write(byte[] src, int off, int len, ByteBuf dst) {
        Objects.checkFromIndexSize(off, len, src.length);
        final int chars = encodedLength(len);
        dst.ensureWritable(chars);
        final int w = dst.writerIndex();
        if (dst.hasArray()) {
            encode(src, off, len, dst.array(), dst.arrayOffset() + w);
        } else {
            encodeInto(src, off, len, dst, w);
        }
        dst.writerIndex(w + chars);
    }

    private static void encode(byte[] src, int off, int len, byte[] out, int at) {
        final byte[] a = ALPHABET;
        final int whole = off + len / 3 * 3;
        int w = at;
        for (int s = off; s < whole; s += 3) {
            final int v = (src[s] & 0xFF) << 16 | (src[s + 1] & 0xFF) << 8 | src[s + 2] & 0xFF;
            out[w] = a[v >>> 18];
            out[w + 1] = a[v >>> 12 & 63];
            out[w + 2] = a[v >>> 6 & 63];
            out[w + 3] = a[v & 63];
            w += 4;
        }
        final int rest = off + len - whole;
        if (rest > 0) {
            final int v = (src[whole] & 0xFF) << 16 | (rest == 2 ? (src[whole + 1] & 0xFF) << 8 : 0);
            out[w] = a[v >>> 18];
            out[w + 1] = a[v >>> 12 & 63];
            out[w + 2] = rest == 2 ? a[v >>> 6 & 63] : (byte) '=';
            out[w + 3] = '=';
        }
    }

    private static void encodeInto(byte[] src, int off, int len, ByteBuf dst, int at) {
        final byte[] a = ALPHABET;
        final int whole = off + len / 3 * 3;
        int w = at;
        for (int s = off; s < whole; s += 3) {
            final int v = (src[s] & 0xFF) << 16 | (src[s + 1] & 0xFF) << 8 | src[s + 2] & 0xFF;
            dst.setInt(w, a[v >>> 18] << 24 | a[v >>> 12 & 63] << 16 | a[v >>> 6 & 63] << 8 | a[v & 63]);
            w += 4;
        }
        final int rest = off + len - whole;
        if (rest > 0) {
            final int v = (src[whole] & 0xFF) << 16 | (rest == 2 ? (src[whole + 1] & 0xFF) << 8 : 0);
            dst.setInt(w, a[v >>> 18] << 24 | a[v >>> 12 & 63] << 16 | (rest == 2 ? a[v >>> 6 & 63] : '=') << 8 | '=');
        }
    }
}
