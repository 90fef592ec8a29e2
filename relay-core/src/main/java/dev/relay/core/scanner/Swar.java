package dev.relay.core.scanner;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Word-at-a-time ("SIMD within a register") helpers for the scanner's hot loops: little-endian
 * reads of 4 or 8 bytes from a byte array (lane 0 = the lowest address) and exact per-lane tests.
 * Callers keep reads in bounds; the array's own bounds check still applies.
 */
final class Swar {
    /** 0x7F in every lane. */
    static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    /** 0x80 in every lane. */
    static final long HIGH = 0x8080808080808080L;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Swar() {}

    /** {@code b[i..i+8)} as a little-endian long. */
    static long longAt(byte[] b, int i) {
        return (long) LONG_LE.get(b, i);
    }

    /** {@code b[i..i+4)} as a little-endian int. */
    static int intAt(byte[] b, int i) {
        return (int) INT_LE.get(b, i);
    }

    /** The byte {@code c} in all eight lanes. */
    static long lanes(char c) {
        return c * 0x0101010101010101L;
    }

    /**
     * 0x80 in each lane of {@code x} that is zero, 0 in the others. Exact: unlike the classic
     * {@code (x - 0x01..) & ~x & 0x80..}, no borrow marks a lane above a zero one.
     */
    static long zeroLanes(long x) {
        return ~((x & LOW7) + LOW7 | x) & HIGH;
    }

    /** Index of the lowest lane marked in {@code laneMask} (0x80 or 0x01 per lane), 8 if none. */
    static int firstLane(long laneMask) {
        return Long.numberOfTrailingZeros(laneMask) >>> 3;
    }
}
