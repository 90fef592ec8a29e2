package dev.relay.core.telephony;

import static dev.relay.core.telephony.JsonSyntax.INVALID;
import static dev.relay.core.telephony.JsonSyntax.TOO_DEEP;
import static dev.relay.core.telephony.JsonSyntax.isDigit;
import static dev.relay.core.telephony.JsonSyntax.skipValue;
import static dev.relay.core.telephony.JsonSyntax.skipWs;

/**
 * Decodes the {@code data} array of a Buffer JSON payload ({@code [128,0,17,…]}) into bytes: the
 * per-frame hot loop of Alohaa media, about 650 bytes of digits for a 20 ms RTP packet.
 *
 * <p>Node.js writes every element as {@code d,} {@code dd,} or {@code ddd,} with no whitespace.
 * A digit-by-digit loop is slow there because every element's length is a data-dependent branch
 * and every element's start depends on the previous one's end. The fast path instead works in two
 * stages per chunk of up to 64 bytes:
 * <ol>
 *   <li>{@link #commaMap}: a bit map of the chunk's commas, read 8 bytes at a time, checking on the
 *       way that every byte is a digit or a comma (the map stops at the first byte that is neither,
 *       such as the closing {@code ']'});</li>
 *   <li>for each comma, the element before it is read as one int from its start, and its length,
 *       value, range (0-255) and leading zero are settled with a row of {@link #BY_LENGTH} instead
 *       of branches on the digits.</li>
 * </ol>
 * Anything the fast path does not accept (whitespace, a fourth digit, a leading zero, the last
 * element, a full destination, the frame's last few bytes) is handed, one element at a time, to the
 * general path, which makes every decision, rejections included, exactly as a plain JSON reading
 * would. Positions in, position after the array out, negative
 * {@link MediaEventRejection#failCode() fail codes} on error, as in {@link JsonSyntax}.
 *
 * <p>Not thread-safe; one per {@link PayloadDecoder}.
 */
final class DigitArrayDecoder {
    private static final int BAD_BUFFER = MediaEventRejection.BAD_BUFFER_JSON.failCode();
    private static final int TOO_LARGE = MediaEventRejection.PAYLOAD_TOO_LARGE.failCode();

    private static final long ASCII_0 = Swar.lanes('0');
    private static final long COMMAS = Swar.lanes(',');
    /** Added to a lane holding c ^ '0': sets its high bit when c ^ '0' > 9, i.e. c is not a digit. */
    private static final long ABOVE_9 = Swar.lanes((char) 0x76);
    /**
     * Multiplying a long that is 0x80 or 0 in each lane by this gathers the high bits into its top
     * byte, bit i from lane i: lane i's bit lands on bit 8i + 7 + 7j for each j, which is 56 + i for
     * j = 7 - i and never the same bit twice.
     */
    private static final long GATHER = 0x0002040810204081L;

    /**
     * For an element of n digits (row n, 1-3; row 0 unused), read as the int {@code t} of its first four
     * bytes minus {@code '0'} each: [0] the mask keeping its digits; [1] the multiplier that brings
     * 100·d0 + 10·d1 + d2 into the top byte of the product (carries past bit 31 drop out; only the low
     * byte of a value up to 255 is kept); [2], [3] the least and greatest {@code reverseBytes} of the
     * masked digits, which orders digit strings of one length like their values: a leading zero falls
     * below the least, 256-999 above the greatest.
     */
    private static final int[] BY_LENGTH = {
        0, 0, 0, 0,
        0xFF, 0x0100_0000, 0, 0x0900_0000,
        0xFFFF, 0x0A01_0000, 0x0100_0000, 0x0909_0000,
        0xFF_FFFF, 0x640A_0100, 0x0100_0000, 0x0205_0500,
    };

    /** Bytes written by the last successful decode. */
    int length;

    /** Destination index reached by the last {@link #fastElements} run. */
    private int fastOut;

    /** {@code p} at the {@code '['} of the data array, itself at nesting {@code depth}. */
    int decode(byte[] b, int p, int end, byte[] dst, int dstOff, int depth) {
        if (depth > MediaEventScanner.MAX_DEPTH) {
            return TOO_DEEP;
        }
        final int dstEnd = dst.length;
        int o = dstOff;
        p = skipWs(b, p + 1, end);
        if (p < end && b[p] == ']') {
            length = 0;
            return p + 1;
        }
        for (;;) {
            p = fastElements(b, p, end, dst, o);
            o = fastOut;
            // One element the fast path declined, and the separator after it.
            p = skipWs(b, p, end);
            if (p >= end) {
                return INVALID;
            }
            final byte first = b[p];
            if (!isDigit(first)) {
                // Valid JSON that is not a non-negative integer is a Buffer problem; anything else is syntax.
                final int q = skipValue(b, p, end, MediaEventScanner.MAX_DEPTH - depth);
                return q < 0 ? q : BAD_BUFFER;
            }
            int v = first - '0';
            int q = p + 1;
            if (v == 0) {
                if (q < end && isDigit(b[q])) {
                    return INVALID; // leading zero
                }
            } else {
                while (q < end && isDigit(b[q])) {
                    v = Math.min(v * 10 + (b[q] - '0'), 1000); // saturate: only "> 255" matters
                    q++;
                }
            }
            if (q < end && (b[q] == '.' || b[q] == 'e' || b[q] == 'E')) {
                q = JsonSyntax.skipNumber(b, p, end);
                return q < 0 ? q : BAD_BUFFER;
            }
            if (v > 255) {
                return BAD_BUFFER;
            }
            if (o >= dstEnd) {
                return TOO_LARGE;
            }
            dst[o++] = (byte) v;
            p = skipWs(b, q, end);
            if (p >= end) {
                return INVALID;
            }
            if (b[p] == ',') {
                p = skipWs(b, p + 1, end);
            } else if (b[p] == ']') {
                length = o - dstOff;
                return p + 1;
            } else {
                return INVALID;
            }
        }
    }

    /**
     * Decodes the run of plain {@code d,}/{@code dd,}/{@code ddd,} elements starting at {@code p}
     * into {@code dst[o..]}. Returns the start of the first element it declined (possibly {@code p})
     * and leaves the destination index reached in {@link #fastOut}.
     */
    private int fastElements(byte[] b, int p, int end, byte[] dst, int o) {
        final int[] rows = BY_LENGTH;
        // Commas are looked for only before end - 3, so that the 4-byte read at an element's start stays in bounds.
        final int limit = end - 3;
        int start = p; // first byte of the element in progress
        int q = p;
        while (limit - q >= 8) {
            final int span = Math.min(64, (limit - q) & ~7);
            long commas = commaMap(b, q, span);
            // Bounded by the room left, so that the loop is counted and the stores need no check of their own.
            final int stop = Math.min(o + Long.bitCount(commas), dst.length);
            while (o < stop) {
                final int at = q + Long.numberOfTrailingZeros(commas);
                commas &= commas - 1;
                final int n = at - start;
                if (n < 1 || n > 3) {
                    break; // empty, or more than three digits
                }
                final int row = n << 2;
                final int digits = (Swar.intAt(b, start) ^ 0x30303030) & rows[row];
                final int bigEndian = Integer.reverseBytes(digits);
                if (bigEndian < rows[row + 2] || bigEndian > rows[row + 3]) {
                    break; // a leading zero, or over 255
                }
                dst[o++] = (byte) (digits * rows[row + 1] >>> 24);
                start = at + 1;
            }
            if (o < stop || commas != 0 || mapCut) {
                break; // an element to decide one by one, a full destination, or the end of the plain run
            }
            q += span;
        }
        fastOut = o;
        return start;
    }

    /** Set by {@link #commaMap} when it met a byte that is neither a digit nor a comma. */
    private boolean mapCut;

    /**
     * Bit i set when {@code b[q + i]} is a comma, for {@code i < span} (a multiple of 8, at most 64),
     * up to the first byte that is neither a digit nor a comma; {@link #mapCut} tells whether there was one.
     */
    private long commaMap(byte[] b, int q, int span) {
        long commas = 0;
        for (int i = 0; i < span; i += 8) {
            final long x = Swar.longAt(b, q + i);
            final long t = x ^ ASCII_0; // a digit lane becomes 0..9
            // High bit of each lane that is not a digit. A carry out of a lane >= 0x8A (not a digit either) can
            // mark the next lane too; that lane then fails the comma check below and goes the general way.
            final long nonDigit = (t + ABOVE_9 | t) & Swar.HIGH;
            commas |= (nonDigit * GATHER >>> 56) << i;
            final long other = (x ^ COMMAS) & (nonDigit << 1) - (nonDigit >>> 7); // non-zero where neither
            if (other != 0) {
                mapCut = true;
                return commas & (1L << i + Swar.firstLane(other)) - 1; // the bits before it (< 64)
            }
        }
        mapCut = false;
        return commas;
    }
}
