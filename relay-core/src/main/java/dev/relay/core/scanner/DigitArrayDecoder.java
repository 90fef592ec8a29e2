package dev.relay.core.scanner;

import static dev.relay.core.scanner.JsonSyntax.INVALID;
import static dev.relay.core.scanner.JsonSyntax.TOO_DEEP;
import static dev.relay.core.scanner.JsonSyntax.isDigit;
import static dev.relay.core.scanner.JsonSyntax.skipValue;
import static dev.relay.core.scanner.JsonSyntax.skipWs;


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
 *   <li>for each comma, the element before it is read as one int from its start and shifted so
 *       that its digits fill the top bytes; one multiply gives its value, one byte swap orders it
 *       against 255, so that no branch depends on the digits.</li>
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
     * {@code SHIFT_UP[n]} = 2^(32 - 8n): multiplying by it moves an element's n digits (lanes 0..n-1 of
     * an int) into the top lanes, the last digit on top, and drops what followed them. A multiply,
     * because C2 (JDK 17) turns a variable shift into several instructions.
     */
    private static final int[] SHIFT_UP = {0, 1 << 24, 1 << 16, 1 << 8};

    /**
     * The comma map's 64-bit constants, read from an array on purpose: as immediates, C2 reloads all
     * of them (10-byte moves) in every iteration of the map loop; as loads they stay in registers.
     */
    private static final long[] MAP_CONSTANTS = {ASCII_0, ABOVE_9, Swar.HIGH, GATHER, COMMAS};

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
        // Commas are looked for only before end - 3, so that the 4-byte read at an element's start stays in bounds.
        final int limit = end - 3;
        int start = p; // first byte of the element in progress
        int q = p;
        while (limit - q >= 8) {
            final int span = Math.min(64, (limit - q) & ~7);
            long commas = commaMap(b, q, span);
            // Bounded by the room left, so that the stores need no check of their own.
            final int oEnd = o + Math.min(Long.bitCount(commas), dst.length - o);
            for (; o < oEnd; o++) {
                final int at = q + Long.numberOfTrailingZeros(commas);
                commas &= commas - 1;
                final int n = at - start;
                if (n < 1 || n > 3) {
                    break; // empty, or more than three digits
                }
                final int t = Swar.intAt(b, start) ^ 0x30303030; // digit lanes become 0..9
                final int digits = t * SHIFT_UP[n & 3];
                // 0x0h0t0u in the order of the number: above 0x020505 is above 255. Then a leading zero.
                if (Integer.reverseBytes(digits) > 0x020505 || (t & 0xFF) == 0 && n > 1) {
                    break;
                }
                // 100h + 10t + u lands in the top byte; what carries past bit 31 drops out, and only the low
                // byte of a value up to 255 is wanted anyway.
                dst[o] = (byte) (digits * 0x640A01 >>> 24);
                start = at + 1;
            }
            if (o < oEnd || commas != 0 || mapCut) {
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
        final long[] c = MAP_CONSTANTS;
        final long ascii0 = c[0];
        final long above9 = c[1];
        final long high = c[2];
        final long gather = c[3];
        final long commaLanes = c[4];
        long commas = 0;
        for (int i = 0; i < span; i += 8) {
            final long x = Swar.longAt(b, q + i);
            final long t = x ^ ascii0; // a digit lane becomes 0..9
            // High bit of each lane that is not a digit. A carry out of a lane >= 0x8A (a non-ASCII byte, so the
            // map is cut there) can mark lanes above it too, which the cut discards.
            final long nonDigit = (t + above9 | t) & high;
            commas |= (nonDigit * gather >>> 56) << i;
            final long other = (x ^ commaLanes) & (nonDigit << 1) - (nonDigit >>> 7); // non-zero where neither
            if (other != 0) {
                mapCut = true;
                return commas & (1L << i + Swar.firstLane(other)) - 1; // the bits before it (< 64)
            }
        }
        mapCut = false;
        return commas;
    }
}
