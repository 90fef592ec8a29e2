package dev.relay.core.scanner;

import java.nio.charset.StandardCharsets;

/**
 * A fixed set of short ASCII strings (member names, event names) and the allocation-free lookup
 * of a byte range among them: one probe of a collision-free table keyed on length and first byte,
 * then one masked 8-byte compare. Immutable and thread-safe.
 */
final class KeyTable {
    /** What {@link #find} returns for a string not in the table. */
    static final int UNKNOWN = -1;

    private final byte[][] names;
    /** Each name's first (up to) 8 bytes, little-endian, zero above its length. */
    private final long[] heads;
    /** {@code slot(length, first byte)} → index + 1, 0 for none. */
    private final byte[] slots;
    private final int mask;
    private final int maxLength;

    /** @throws IllegalArgumentException if two names share a slot in every table size up to 1024 */
    KeyTable(String... names) {
        this.names = new byte[names.length][];
        this.heads = new long[names.length];
        int longest = 0;
        for (int k = 0; k < names.length; k++) {
            final byte[] name = names[k].getBytes(StandardCharsets.US_ASCII);
            this.names[k] = name;
            for (int i = 0; i < Math.min(8, name.length); i++) {
                heads[k] |= (name[i] & 0xFFL) << 8 * i;
            }
            longest = Math.max(longest, name.length);
        }
        this.maxLength = longest;
        for (int size = 16; size <= 1024; size *= 2) {
            final byte[] table = place(size);
            if (table != null) {
                this.slots = table;
                this.mask = size - 1;
                return;
            }
        }
        throw new IllegalArgumentException("no collision-free table for " + String.join(",", names));
    }

    private byte[] place(int size) {
        final byte[] table = new byte[size];
        for (int k = 0; k < names.length; k++) {
            final int s = slot(names[k].length, names[k][0], size - 1);
            if (table[s] != 0) {
                return null;
            }
            table[s] = (byte) (k + 1);
        }
        return table;
    }

    private static int slot(int length, byte first, int mask) {
        return first + 13 * length & mask;
    }

    /** Index of the name equal to {@code b[start..end)}, or {@link #UNKNOWN}. */
    int find(byte[] b, int start, int end) {
        final int length = end - start;
        if (length <= 0 || length > maxLength) {
            return UNKNOWN;
        }
        final int k = slots[slot(length, b[start], mask)] - 1;
        if (k < 0 || names[k].length != length) {
            return UNKNOWN;
        }
        final byte[] name = names[k];
        int i = 0;
        if (b.length - start >= 8) {
            final long keep = length >= 8 ? -1L : ~(-1L << 8 * length);
            if ((Swar.longAt(b, start) & keep) != heads[k]) {
                return UNKNOWN;
            }
            i = 8;
        }
        for (; i < length; i++) {
            if (b[start + i] != name[i]) {
                return UNKNOWN;
            }
        }
        return k;
    }
}
