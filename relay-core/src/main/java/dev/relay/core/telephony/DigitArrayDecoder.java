package dev.relay.core.telephony;

import static dev.relay.core.telephony.JsonSyntax.INVALID;
import static dev.relay.core.telephony.JsonSyntax.TOO_DEEP;
import static dev.relay.core.telephony.JsonSyntax.isDigit;
import static dev.relay.core.telephony.JsonSyntax.skipValue;
import static dev.relay.core.telephony.JsonSyntax.skipWs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes the {@code data} array of a Buffer JSON payload ({@code [128,0,17,…]}) into bytes: the
 * per-frame hot loop of Alohaa media, about 650 bytes of digits for a 20 ms RTP packet.
 *
 * <p>Node.js writes every element as {@code d,} {@code dd,} or {@code ddd,} with no whitespace.
 * A digit-by-digit loop is slow there because every element's length is a data-dependent branch
 * and every element's start depends on the previous one's end. The fast path instead works in two
 * stages per chunk of up to 64 bytes, read 8 at a time as little-endian longs:
 * <ol>
 *   <li>a bit map of the chunk's commas, checking on the way that every byte is a digit or a comma
 *       (the chunk is cut at the first byte that is neither, e.g. the closing {@code ']'});</li>
 *   <li>for each comma, the element before it is read as one int ending at the comma, and its
 *       value, length (1-3 digits), range (0-255) and leading zeros checked without branching on
 *       the digits.</li>
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

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long ASCII_0 = 0x3030303030303030L;
    private static final long COMMAS = 0x2C2C2C2C2C2C2C2CL;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH = 0x8080808080808080L;
    /** Multiplying a long whose bytes are 0 or 1 by this gathers them into its top byte, bit i from byte i. */
    private static final long GATHER = 0x0102040810204080L;

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
        final int dstEnd = dst.length;
        int start = p; // first byte of the element in progress
        int q = p;
        // Commas are only looked for up to end - 4, so that the 4-byte read at an element's start stays in bounds.
        while (end - 3 - q >= 8) {
            // Stage 1: bit i of commas = byte q + i is a comma; stop at a byte that is neither comma nor digit.
            final int span = Math.min(64, (end - 3 - q) & ~7);
            long commas = 0;
            boolean cut = false;
            for (int i = 0; i < span; i += 8) {
                final long x = (long) LONG_LE.get(b, q + i);
                final long t = x ^ ASCII_0; // a digit byte becomes 0..9
                final long nonDigit = (((t & LOW7) + 0x7676767676767676L | t) & HIGH) >>> 7; // 1 in each such byte
                commas |= (nonDigit * GATHER >>> 56) << i;
                final long other = (x ^ COMMAS) & nonDigit * 0xFF; // non-zero in each byte that is neither
                if (other != 0) {
                    commas &= (1L << i + (Long.numberOfTrailingZeros(other) >>> 3)) - 1; // bits before it, < 64
                    cut = true;
                    break;
                }
            }
            // Stage 2: one element per comma, read as 4 bytes from its start.
            while (commas != 0) {
                final int at = q + Long.numberOfTrailingZeros(commas);
                commas &= commas - 1;
                final int n = at - start; // digits, valid if 1..3
                final int t = (int) INT_LE.get(b, start) ^ 0x30303030; // digit bytes become 0..9
                final int u = t << -8 * n; // shift by 32 - 8n: the digits into the top bytes, units in the last
                final int digitsBigEndian = Integer.reverseBytes(u); // 0x0h0t0u, ordered like the number
                if (n < 1 || n > 3 || digitsBigEndian > 0x020505 || (t & 0xFF) == 0 && n > 1 || o >= dstEnd) {
                    fastOut = o; // empty, over 3 digits, over 255, leading zero, or full: decided one by one
                    return start;
                }
                // 100h + 10t + u lands in the top byte; the carry beyond it is dropped, and only the low byte counts.
                dst[o++] = (byte) (u * 0x640A01 >>> 24);
                start = at + 1;
            }
            if (cut) {
                break;
            }
            q += span;
        }
        fastOut = o;
        return start;
    }
}
