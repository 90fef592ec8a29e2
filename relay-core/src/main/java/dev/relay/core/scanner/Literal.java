package dev.relay.core.scanner;

import java.nio.charset.StandardCharsets;

/**
 * A fixed run of ASCII bytes (a few JSON tokens) and the test whether a frame holds it at a
 * position, a word at a time. The scanner uses it to take the member names and values every
 * Alohaa media frame begins with in one step; matching them is exactly reading those tokens.
 * Immutable and thread-safe.
 */
final class Literal {
    private final byte[] bytes;
    /** The bytes as little-endian words, the last one zero above the end. */
    private final long[] words;
    /** Which bytes of the last word belong to the literal. */
    private final long lastMask;

    Literal(String ascii) {
        bytes = ascii.getBytes(StandardCharsets.US_ASCII);
        words = new long[(bytes.length + 7) / 8];
        for (int i = 0; i < bytes.length; i++) {
            words[i / 8] |= (bytes[i] & 0xFFL) << 8 * (i % 8);
        }
        final int tail = bytes.length % 8;
        lastMask = tail == 0 ? -1L : ~(-1L << 8 * tail);
    }

    /** Length in bytes. */
    int length() {
        return bytes.length;
    }

    /** True if {@code b[p..end)} starts with this literal. */
    boolean at(byte[] b, int p, int end) {
        if (end - p < bytes.length) {
            return false;
        }
        final int last = words.length - 1;
        if (b.length - p < 8 * words.length) { // near the array's end: byte by byte
            for (int i = 0; i < bytes.length; i++) {
                if (b[p + i] != bytes[i]) {
                    return false;
                }
            }
            return true;
        }
        for (int k = 0; k < last; k++) {
            if (Swar.longAt(b, p + 8 * k) != words[k]) {
                return false;
            }
        }
        return (Swar.longAt(b, p + 8 * last) & lastMask) == words[last];
    }
}
