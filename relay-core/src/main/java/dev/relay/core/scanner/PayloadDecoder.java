package dev.relay.core.scanner;

import static dev.relay.core.scanner.JsonSyntax.INVALID;
import static dev.relay.core.scanner.JsonSyntax.TOO_DEEP;
import static dev.relay.core.scanner.JsonSyntax.hex;
import static dev.relay.core.scanner.JsonSyntax.skipColon;
import static dev.relay.core.scanner.JsonSyntax.skipName;
import static dev.relay.core.scanner.JsonSyntax.skipString;
import static dev.relay.core.scanner.JsonSyntax.skipToMemberEnd;
import static dev.relay.core.scanner.JsonSyntax.skipValue;
import static dev.relay.core.scanner.JsonSyntax.skipWs;

import dev.relay.core.net.Base64Alphabet;

/**
 * Decodes a media payload value straight from the frame's bytes into the
 * caller's destination array: a base64 string, or a Node.js Buffer JSON object
 * whose {@code data} digits become bytes without any intermediate form.
 *
 * <p>Same conventions as {@link JsonSyntax}: positions in, position after the
 * value out, negative {@link MediaEventRejection#failCode() fail codes} on error.
 * The decoded length is left in {@link #length}. Not thread-safe; one per scanner.
 */
final class PayloadDecoder {
    private static final int BAD_BASE64 = MediaEventRejection.BAD_BASE64.failCode();
    private static final int BAD_BUFFER = MediaEventRejection.BAD_BUFFER_JSON.failCode();
    private static final int TOO_LARGE = MediaEventRejection.PAYLOAD_TOO_LARGE.failCode();
    private static final int DUPLICATE = MediaEventRejection.DUPLICATE_KEY.failCode();
    /** No member name read yet for the next member. */
    private static final int NEXT_NAME = -2;
    /** The members of a Node.js Buffer up to the data array: {@code {"type":"Buffer","data":[…]}}. */
    private static final Literal BUFFER_HEAD = new Literal("\"type\":\"Buffer\",\"data\":");

    /** Bytes written by the last successful decode. */
    int length;

    private final byte[] scratch = new byte[MediaKeys.SHORT_MAX];
    private final DigitArrayDecoder digits = new DigitArrayDecoder();

    /**
     * {@code p} at the opening quote of a base64 string. JSON escapes inside it
     * are honoured ({@code \/} is common from PHP encoders); padding is optional
     * but, if present, must complete the last quantum; whitespace is not allowed.
     */
    int decodeBase64(byte[] b, int p, int end, byte[] dst, int dstOff) {
        final byte[] dec = Base64Alphabet.DECODE;
        final int dstEnd = dst.length;
        int i = p + 1;
        int o = dstOff;
        int acc = 0;
        int n = 0;
        int pad = 0;
        for (;;) {
            if (n == 0 && pad == 0) {
                while (i + 3 < end) {
                    final int d0 = dec[b[i] & 0xFF];
                    final int d1 = dec[b[i + 1] & 0xFF];
                    final int d2 = dec[b[i + 2] & 0xFF];
                    final int d3 = dec[b[i + 3] & 0xFF];
                    if ((d0 | d1 | d2 | d3) < 0) {
                        break; // quote, escape, padding or a bad byte: take the careful path
                    }
                    if (o + 3 > dstEnd) {
                        return TOO_LARGE;
                    }
                    final int v = d0 << 18 | d1 << 12 | d2 << 6 | d3;
                    dst[o] = (byte) (v >>> 16);
                    dst[o + 1] = (byte) (v >>> 8);
                    dst[o + 2] = (byte) v;
                    o += 3;
                    i += 4;
                }
            }
            if (i >= end) {
                return INVALID;
            }
            int c = b[i] & 0xFF;
            if (c == '"') {
                break;
            }
            i++;
            if (c == '\\') {
                if (i >= end) {
                    return INVALID;
                }
                final byte e = b[i];
                if (e == 'u') {
                    if (i + 4 >= end) {
                        return INVALID;
                    }
                    final int h0 = hex(b[i + 1]);
                    final int h1 = hex(b[i + 2]);
                    final int h2 = hex(b[i + 3]);
                    final int h3 = hex(b[i + 4]);
                    if ((h0 | h1 | h2 | h3) < 0) {
                        return INVALID;
                    }
                    c = h0 << 12 | h1 << 8 | h2 << 4 | h3;
                    i += 5;
                } else if (e == '/') {
                    c = '/';
                    i++;
                } else if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                    return BAD_BASE64;
                } else {
                    return INVALID;
                }
            } else if (c < 0x20) {
                return INVALID;
            }
            if (c == '=') {
                if (++pad > 2) {
                    return BAD_BASE64;
                }
                continue;
            }
            final int d = c < 256 ? dec[c] : -1;
            if (d < 0 || pad > 0) {
                return BAD_BASE64;
            }
            acc = acc << 6 | d;
            if (++n == 4) {
                if (o + 3 > dstEnd) {
                    return TOO_LARGE;
                }
                dst[o] = (byte) (acc >>> 16);
                dst[o + 1] = (byte) (acc >>> 8);
                dst[o + 2] = (byte) acc;
                o += 3;
                n = 0;
                acc = 0;
            }
        }
        if (n == 1 || (pad > 0 && n + pad != 4)) {
            return BAD_BASE64;
        }
        if (n > 1) {
            if (o + n - 1 > dstEnd) {
                return TOO_LARGE;
            }
            if (n == 2) {
                dst[o++] = (byte) (acc >>> 4);
            } else {
                dst[o++] = (byte) (acc >>> 10);
                dst[o++] = (byte) (acc >>> 2);
            }
        }
        length = o - dstOff;
        return i + 1;
    }

    /**
     * {@code p} at the {@code '{'} of a Buffer JSON object that sits at nesting
     * {@code depth} (top-level object = 1). Unknown members are skipped.
     */
    int decodeBufferJson(byte[] b, int p, int end, byte[] dst, int dstOff, int depth) {
        if (depth > MediaEventScanner.MAX_DEPTH) {
            return TOO_DEEP;
        }
        int seen = 0;
        p = skipWs(b, p + 1, end);
        if (p < end && b[p] == '}') {
            return BAD_BUFFER;
        }
        int key = NEXT_NAME;
        if (BUFFER_HEAD.at(b, p, end)) {
            // How Node.js writes every Buffer; taken in one step, with the effect of reading its tokens below.
            seen = 1 << MediaKeys.TYPE | 1 << MediaKeys.DATA;
            key = MediaKeys.DATA;
            p = skipWs(b, p + BUFFER_HEAD.length(), end);
        }
        for (;;) {
            int q;
            if (key == NEXT_NAME) {
                q = skipName(b, p, end);
                if (q < 0) {
                    return q;
                }
                key = MediaKeys.match(b, p + 1, q - 1, MediaKeys.NAMES, scratch);
                p = skipColon(b, q, end);
                if (p < 0) {
                    return p;
                }
                if (key == MediaKeys.TYPE || key == MediaKeys.DATA) {
                    if ((seen & 1 << key) != 0) {
                        return DUPLICATE;
                    }
                    seen |= 1 << key;
                }
            }
            if (key == MediaKeys.TYPE) {
                q = p < end && b[p] == '"'
                        ? skipString(b, p, end) : skipValue(b, p, end, MediaEventScanner.MAX_DEPTH - depth);
                if (q < 0) {
                    return q;
                }
                if (b[p] != '"' || MediaKeys.match(b, p + 1, q - 1, MediaKeys.BUFFER, scratch) != 0) {
                    return BAD_BUFFER;
                }
            } else if (key == MediaKeys.DATA && p < end && b[p] == '[') {
                q = digits.decode(b, p, end, dst, dstOff, depth + 1);
                length = digits.length;
            } else {
                q = skipValue(b, p, end, MediaEventScanner.MAX_DEPTH - depth);
                if (q >= 0 && key == MediaKeys.DATA) {
                    return BAD_BUFFER; // data present but not an array
                }
            }
            key = NEXT_NAME;
            p = skipToMemberEnd(b, q, end);
            if (p < 0) {
                return p;
            }
            if (b[p] == '}') {
                return seen == (1 << MediaKeys.TYPE | 1 << MediaKeys.DATA) ? p + 1 : BAD_BUFFER;
            }
            p = skipWs(b, p + 1, end);
        }
    }
}
