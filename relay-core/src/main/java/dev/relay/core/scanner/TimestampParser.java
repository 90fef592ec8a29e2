package dev.relay.core.scanner;

import static dev.relay.core.scanner.JsonSyntax.isDigit;


/**
 * Reads a media timestamp (a JSON integer, or the contents of a digit string) into a long without
 * allocating, for {@link MediaEventGrammar}. The result of the last call is in {@link #value} and
 * {@link #ok}. Not thread-safe; one per grammar.
 */
final class TimestampParser {
    /** The value read, when {@link #ok}. */
    long value;
    /** Whether the last call read a timestamp that fits a long. */
    boolean ok;

    /**
     * The common timestamp in one pass: {@code -?[1-9][0-9]{0,16}} or {@code -?0}, not followed by
     * a digit, fraction or exponent. Sets {@link #value} and {@link #ok} and returns the position
     * after it, or returns -1, changing nothing, for anything else, which the caller then validates
     * and reads with {@link #parse}.
     */
    int parsePlain(byte[] b, int p, int end) {
        final boolean negative = b[p] == '-';
        final int first = negative ? p + 1 : p;
        final int last = Math.min(end, first + 17); // 17 digits cannot overflow a long
        long value = 0;
        int i = first;
        // Two digits a step: the multiply-add chain, not the loads, bounds a 13-digit epoch in ms.
        while (i + 1 < last) {
            final int high = b[i] - '0';
            final int low = b[i + 1] - '0';
            if (high < 0 || high > 9 || low < 0 || low > 9) {
                break;
            }
            value = value * 100 + (high * 10 + low);
            i += 2;
        }
        if (i < last && isDigit(b[i])) {
            value = value * 10 + (b[i] - '0');
            i++;
        }
        if (i == first || (b[first] == '0' && i > first + 1)
                || (i < end && (isDigit(b[i]) || b[i] == '.' || b[i] == 'e' || b[i] == 'E'))) {
            return -1;
        }
        this.value = negative ? -value : value;
        ok = true;
        return i;
    }

    /** Reads {@code b[i..end)} as {@code -?[0-9]+} into a long, like {@link Long#parseLong}, without allocating. */
    void parse(byte[] b, int i, int end) {
        final boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        ok = false;
        if (i >= end) {
            return;
        }
        if (end - i <= 18) { // cannot overflow a long
            long value = 0;
            for (; i < end; i++) {
                final byte c = b[i];
                if (!isDigit(c)) {
                    return;
                }
                value = value * 10 + (c - '0');
            }
            this.value = negative ? -value : value;
            ok = true;
            return;
        }
        final long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        final long multMin = limit / 10;
        long acc = 0; // accumulated negatively so that Long.MIN_VALUE fits
        for (; i < end; i++) {
            final byte c = b[i];
            if (!isDigit(c) || acc < multMin) {
                return;
            }
            final int d = c - '0';
            acc *= 10;
            if (acc < limit + d) {
                return;
            }
            acc -= d;
        }
        value = negative ? acc : -acc;
        ok = true;
    }
}
