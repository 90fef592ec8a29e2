package dev.relay.core.net;

import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Standard base64 (RFC 4648 §4, with padding), the one encoder of the relay's outbound audio: the
 * envelope's {@code media} payloads toward telephony peers, bots and session servers.
 *
 * <p>Writes straight into a {@link ByteBuf} at its writer index, or into a caller's array: no
 * String, no encoded copy per message. A buffer with a backing array is written through the array
 * (no per-group bounds checks, and under the tests' paranoid leak detector no access record per
 * group); any other buffer takes one 4-byte store per 3 input bytes. Stateless and thread-safe;
 * allocates nothing.
 */
public final class Base64Writer {
    private Base64Writer() {}

    /** Characters the encoding of {@code bytes} bytes takes, padding included. */
    public static int encodedLength(int bytes) {
        return (bytes + 2) / 3 * 4;
    }

    /** Appends the base64 of {@code src[off, off + len)} at {@code dst}'s writer index, growing it once. */
    public static void write(ByteBuf dst, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        final int chars = encodedLength(len);
        dst.ensureWritable(chars);
        final int w = dst.writerIndex();
        if (dst.hasArray()) {
            encode(src, off, len, dst.array(), dst.arrayOffset() + w);
        } else {
            encodeGroups(src, off, len, dst, w);
        }
        dst.writerIndex(w + chars);
    }

    /**
     * Writes the base64 of {@code src[off, off + len)} into {@code dst} from {@code dstOff}, which
     * must have {@link #encodedLength encodedLength(len)} bytes of room; returns that length.
     */
    public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        Objects.checkFromIndexSize(off, len, src.length);
        final int chars = encodedLength(len);
        Objects.checkFromIndexSize(dstOff, chars, dst.length);
        final byte[] a = Base64Alphabet.ENCODE;
        final int whole = off + len / 3 * 3;
        int w = dstOff;
        for (int s = off; s < whole; s += 3) {
            final int v = (src[s] & 0xFF) << 16 | (src[s + 1] & 0xFF) << 8 | src[s + 2] & 0xFF;
            dst[w] = a[v >>> 18];
            dst[w + 1] = a[v >>> 12 & 63];
            dst[w + 2] = a[v >>> 6 & 63];
            dst[w + 3] = a[v & 63];
            w += 4;
        }
        final int rest = off + len - whole;
        if (rest > 0) {
            final int v = (src[whole] & 0xFF) << 16 | (rest == 2 ? (src[whole + 1] & 0xFF) << 8 : 0);
            dst[w] = a[v >>> 18];
            dst[w + 1] = a[v >>> 12 & 63];
            dst[w + 2] = rest == 2 ? a[v >>> 6 & 63] : (byte) '=';
            dst[w + 3] = '=';
        }
        return chars;
    }

    /** A buffer without an array: one big-endian int (four characters) per group, at absolute indices. */
    private static void encodeGroups(byte[] src, int off, int len, ByteBuf dst, int at) {
        final byte[] a = Base64Alphabet.ENCODE;
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
