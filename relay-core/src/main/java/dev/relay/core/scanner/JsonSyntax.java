package dev.relay.core.scanner;


/**
 * Allocation-free JSON (RFC 8259) syntax primitives over a byte range, used by
 * {@link MediaEventScanner} to validate and skip the values it does not need.
 *
 * <p>Every method takes a position and returns the position just after what it
 * consumed, or a negative {@link MediaEventRejection#failCode() fail code}. UTF-8
 * validity is not checked: the WebSocket layer validates text frames.
 */
final class JsonSyntax {
    static final int INVALID = MediaEventRejection.INVALID_JSON.failCode();
    static final int TOO_DEEP = MediaEventRejection.TOO_DEEP.failCode();

    private JsonSyntax() {}

    /** First position at or after {@code p} that is not JSON whitespace (may be {@code end}). */
    static int skipWs(byte[] b, int p, int end) {
        while (p < end) {
            final byte c = b[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return p;
            }
            p++;
        }
        return p;
    }

    /** {@code p} at the opening quote; returns the position after the closing quote. */
    static int skipString(byte[] b, int p, int end) {
        int i = p + 1;
        while (i < end) {
            final int c = b[i];
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= end) {
                    return INVALID;
                }
                switch (b[i + 1]) {
                    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                        i += 2;
                        continue;
                    case 'u':
                        if (i + 5 >= end || (hex(b[i + 2]) | hex(b[i + 3]) | hex(b[i + 4]) | hex(b[i + 5])) < 0) {
                            return INVALID;
                        }
                        i += 6;
                        continue;
                    default:
                        return INVALID;
                }
            }
            if (c >= 0 && c < 0x20) {
                return INVALID; // raw control characters must be escaped; bytes >= 0x80 are negative here
            }
            i++;
        }
        return INVALID;
    }

    /** Validates {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?} starting at {@code p}. */
    static int skipNumber(byte[] b, int p, int end) {
        if (p < end && b[p] == '-') {
            p++;
        }
        if (p >= end || !isDigit(b[p])) {
            return INVALID;
        }
        if (b[p] == '0') {
            p++;
        } else {
            p = skipDigits(b, p, end);
        }
        if (p < end && b[p] == '.') {
            p++;
            if (p >= end || !isDigit(b[p])) {
                return INVALID;
            }
            p = skipDigits(b, p, end);
        }
        if (p < end && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            if (p < end && (b[p] == '+' || b[p] == '-')) {
                p++;
            }
            if (p >= end || !isDigit(b[p])) {
                return INVALID;
            }
            p = skipDigits(b, p, end);
        }
        // "01" or "1x": the caller's next structural check sees the stray byte and fails.
        return p;
    }

    private static int skipDigits(byte[] b, int p, int end) {
        while (p < end && isDigit(b[p])) {
            p++;
        }
        return p;
    }

    private static int skipLiteral(byte[] b, int p, int end, byte[] literal) {
        if (end - p < literal.length) {
            return INVALID;
        }
        for (int i = 0; i < literal.length; i++) {
            if (b[p + i] != literal[i]) {
                return INVALID;
            }
        }
        return p + literal.length;
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Skips the literal {@code null} at {@code p}. */
    static int skipNull(byte[] b, int p, int end) {
        return skipLiteral(b, p, end, NULL);
    }

    /**
     * Skips one complete value starting exactly at {@code p} (no leading whitespace),
     * iteratively, opening at most {@code depthLeft} nested objects/arrays.
     */
    static int skipValue(byte[] b, int p, int end, int depthLeft) {
        long objectBits = 0; // bit 0 = innermost open container is an object; max depth < 64
        int depth = 0;
        for (;;) {
            // A value starts at p.
            if (p >= end) {
                return INVALID;
            }
            boolean opened = false;
            switch (b[p]) {
                case '{':
                case '[': {
                    if (depth >= depthLeft) {
                        return TOO_DEEP;
                    }
                    final boolean object = b[p] == '{';
                    objectBits = (objectBits << 1) | (object ? 1L : 0L);
                    depth++;
                    p = skipWs(b, p + 1, end);
                    if (p < end && b[p] == (object ? '}' : ']')) {
                        p++;
                        objectBits >>>= 1;
                        depth--;
                    } else {
                        opened = true;
                    }
                    break;
                }
                case '"':
                    p = skipString(b, p, end);
                    break;
                case 't':
                    p = skipLiteral(b, p, end, TRUE);
                    break;
                case 'f':
                    p = skipLiteral(b, p, end, FALSE);
                    break;
                case 'n':
                    p = skipLiteral(b, p, end, NULL);
                    break;
                default:
                    p = skipNumber(b, p, end);
                    break;
            }
            if (p < 0) {
                return p;
            }
            if (opened) {
                if ((objectBits & 1) != 0) {
                    p = skipMemberName(b, p, end);
                    if (p < 0) {
                        return p;
                    }
                }
                continue;
            }
            // A value ended: close containers and find the next value, if any.
            for (;;) {
                if (depth == 0) {
                    return p;
                }
                p = skipWs(b, p, end);
                if (p >= end) {
                    return INVALID;
                }
                final boolean inObject = (objectBits & 1) != 0;
                final byte c = b[p];
                if (c == ',') {
                    p = skipWs(b, p + 1, end);
                    if (inObject) {
                        p = skipMemberName(b, p, end);
                        if (p < 0) {
                            return p;
                        }
                    }
                    break;
                }
                if (c != (inObject ? '}' : ']')) {
                    return INVALID;
                }
                p++;
                objectBits >>>= 1;
                depth--;
            }
        }
    }

    /** {@code p} at a member name's quote; returns the start of its value (after the colon and whitespace). */
    static int skipMemberName(byte[] b, int p, int end) {
        p = skipName(b, p, end);
        return p < 0 ? p : skipColon(b, p, end);
    }

    /** {@code p} where a member name must start; returns the position after its closing quote. */
    static int skipName(byte[] b, int p, int end) {
        return p < end && b[p] == '"' ? skipString(b, p, end) : INVALID;
    }

    /** {@code p} just after a member name; returns the start of its value (after the colon and whitespace). */
    static int skipColon(byte[] b, int p, int end) {
        p = skipWs(b, p, end);
        return p < end && b[p] == ':' ? skipWs(b, p + 1, end) : INVALID;
    }

    /**
     * {@code p} just after a member's value; returns the position of the {@code ','} or {@code '}'}
     * that follows it (after whitespace), which the caller tells apart. A negative {@code p}, the
     * value's own fail code, is returned as it is, so a walker checks once.
     */
    static int skipToMemberEnd(byte[] b, int p, int end) {
        if (p < 0) {
            return p;
        }
        p = skipWs(b, p, end);
        return p < end && (b[p] == ',' || b[p] == '}') ? p : INVALID;
    }

    /**
     * Decodes the contents of an already validated JSON string (between its quotes)
     * into UTF-8 at {@code dst[off..]}. Returns the decoded length, or -1 if it would
     * exceed {@code max} bytes. A lone surrogate escape becomes U+FFFD, as a WHATWG
     * UTF-8 encoder would send it.
     */
    static int unescape(byte[] b, int start, int end, byte[] dst, int off, int max) {
        final int limit = off + max;
        int o = off;
        int i = start;
        while (i < end) {
            final byte c = b[i];
            if (c != '\\') {
                if (o >= limit) {
                    return -1;
                }
                dst[o++] = c;
                i++;
                continue;
            }
            int cp;
            final byte e = b[i + 1];
            i += 2;
            switch (e) {
                case 'b': cp = '\b'; break;
                case 'f': cp = '\f'; break;
                case 'n': cp = '\n'; break;
                case 'r': cp = '\r'; break;
                case 't': cp = '\t'; break;
                case 'u':
                    cp = hex4(b, i);
                    i += 4;
                    if (cp >= 0xD800 && cp <= 0xDBFF && i + 5 < end && b[i] == '\\' && b[i + 1] == 'u') {
                        final int low = hex4(b, i + 2);
                        if (low >= 0xDC00 && low <= 0xDFFF) {
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                            i += 6;
                        }
                    }
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        cp = 0xFFFD;
                    }
                    break;
                default: cp = e; break; // '"', '\\', '/'
            }
            o = putUtf8(dst, o, limit, cp);
            if (o < 0) {
                return -1;
            }
        }
        return o - off;
    }

    private static int putUtf8(byte[] dst, int o, int limit, int cp) {
        if (cp < 0x80) {
            if (o >= limit) {
                return -1;
            }
            dst[o] = (byte) cp;
            return o + 1;
        }
        if (cp < 0x800) {
            if (o + 2 > limit) {
                return -1;
            }
            dst[o] = (byte) (0xC0 | cp >>> 6);
            dst[o + 1] = (byte) (0x80 | cp & 0x3F);
            return o + 2;
        }
        if (cp < 0x10000) {
            if (o + 3 > limit) {
                return -1;
            }
            dst[o] = (byte) (0xE0 | cp >>> 12);
            dst[o + 1] = (byte) (0x80 | cp >>> 6 & 0x3F);
            dst[o + 2] = (byte) (0x80 | cp & 0x3F);
            return o + 3;
        }
        if (o + 4 > limit) {
            return -1;
        }
        dst[o] = (byte) (0xF0 | cp >>> 18);
        dst[o + 1] = (byte) (0x80 | cp >>> 12 & 0x3F);
        dst[o + 2] = (byte) (0x80 | cp >>> 6 & 0x3F);
        dst[o + 3] = (byte) (0x80 | cp & 0x3F);
        return o + 4;
    }

    private static int hex4(byte[] b, int i) {
        return hex(b[i]) << 12 | hex(b[i + 1]) << 8 | hex(b[i + 2]) << 4 | hex(b[i + 3]);
    }

    /** Value of a hex digit, or -1. */
    static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }
}
