package dev.relay.core.scanner;

import static dev.relay.core.scanner.JsonSyntax.INVALID;
import static dev.relay.core.scanner.JsonSyntax.TOO_DEEP;
import static dev.relay.core.scanner.JsonSyntax.isDigit;
import static dev.relay.core.scanner.JsonSyntax.skipColon;
import static dev.relay.core.scanner.JsonSyntax.skipName;
import static dev.relay.core.scanner.JsonSyntax.skipNull;
import static dev.relay.core.scanner.JsonSyntax.skipNumber;
import static dev.relay.core.scanner.JsonSyntax.skipString;
import static dev.relay.core.scanner.JsonSyntax.skipToMemberEnd;
import static dev.relay.core.scanner.JsonSyntax.skipValue;
import static dev.relay.core.scanner.JsonSyntax.skipWs;


/**
 * The document grammar behind {@link MediaEventScanner}: walks the top-level
 * object (and the envelope's {@code media} object), dispatches the members it
 * recognises and leaves its findings in package-private fields that the scanner's
 * accessors read. Positions in, positions out, negative
 * {@link MediaEventRejection#failCode() fail codes} on error, as in
 * {@link JsonSyntax}. Not thread-safe; one per scanner.
 */
final class MediaEventGrammar {
    private static final int MAX_DEPTH = MediaEventScanner.MAX_DEPTH;
    private static final int MAX_CALL_ID_BYTES = MediaEventScanner.MAX_CALL_ID_BYTES;
    private static final MediaEventKind[] KINDS = MediaEventKind.values();
    private static final int DUPLICATE = MediaEventRejection.DUPLICATE_KEY.failCode();
    private static final int BAD_CALL_ID = MediaEventRejection.BAD_CALL_ID.failCode();
    private static final int TOP_KEYS = 1 << MediaKeys.EVENT | 1 << MediaKeys.CALL_ID | 1 << MediaKeys.STREAM_SID
            | 1 << MediaKeys.PAYLOAD | 1 << MediaKeys.TIMESTAMP | 1 << MediaKeys.MEDIA;
    private static final int MEDIA_KEYS = 1 << MediaKeys.PAYLOAD | 1 << MediaKeys.TIMESTAMP | 1 << MediaKeys.TRACK;
    private static final long BACKSLASHES = Swar.lanes('\\');
    private static final long DELS = Swar.lanes((char) 0x7F);
    /** No member name read yet for the next member. */
    private static final int NEXT_NAME = -2;
    /** The members every Alohaa media frame begins with: {@code {"event":"media","callId":…}}. */
    private static final Literal ALOHAA_HEAD = new Literal("\"event\":\"media\",\"callId\":");
    private static final Literal PAYLOAD_NAME = new Literal("\"payload\":");
    private static final Literal TIMESTAMP_NAME = new Literal("\"timestamp\":");
    private static final int TS_ABSENT = 0;
    static final int TS_OK = 1;
    private static final int TS_BAD = 2;

    private final PayloadDecoder payloadDecoder = new PayloadDecoder();
    private final TimestampParser timestamps = new TimestampParser();
    private final byte[] shortScratch = new byte[MediaKeys.SHORT_MAX];
    /** The unescaped id; valid for {@link #callIdLength} bytes. */
    final byte[] callId = new byte[MAX_CALL_ID_BYTES];

    // Results of the last scan.
    MediaEventRejection rejection = MediaEventRejection.NONE;
    MediaEventKind event = MediaEventKind.UNKNOWN;
    int callIdLength;
    int callIdOffset;
    int callIdRawLength;
    boolean callIdFromCallIdKey;
    PayloadForm payloadForm = PayloadForm.NONE;
    int payloadLength;
    int timestampState;
    long timestamp;
    MediaTrack track = MediaTrack.NONE;

    // State of the scan in progress.
    private int indexShift;
    private byte[] dst;
    private int dstOff;
    private boolean eventSeen;
    private boolean payloadSeen;
    private boolean timestampSeen;
    private int deferredPayload;
    private int deferredPayloadDepth;

    /** Scans {@code b[start..start+len)}; {@code shift} maps array indices to frame indices. */
    MediaEventRejection scan(byte[] b, int start, int len, int shift, byte[] payloadDst, int payloadOff) {
        reset(shift, payloadDst, payloadOff);
        final int end = start + len;
        final int p = skipWs(b, start, end);
        if (p >= end) {
            return reject(INVALID);
        }
        int q;
        if (b[p] != '{') {
            q = skipValue(b, p, end, MAX_DEPTH);
            return reject(q < 0 ? q : skipWs(b, q, end) == end
                    ? MediaEventRejection.NOT_AN_OBJECT.failCode() : INVALID);
        }
        q = scanObject(b, p, end, 1);
        if (q < 0) {
            if (q != INVALID && q != TOO_DEEP) {
                // A semantic problem stopped the scan early; syntax errors further on take precedence, so
                // that "not JSON" never hides behind "bad base64". Only rejected frames pay this pass.
                final int v = skipValue(b, p, end, MAX_DEPTH);
                q = v < 0 ? v : skipWs(b, v, end) != end ? INVALID : q;
            }
            return reject(q);
        }
        if (skipWs(b, q, end) != end) {
            return reject(INVALID);
        }
        return finish(b, end);
    }

    private void reset(int shift, byte[] payloadDst, int payloadOff) {
        rejection = MediaEventRejection.NONE;
        event = MediaEventKind.UNKNOWN;
        eventSeen = false;
        callIdLength = 0;
        callIdOffset = 0;
        callIdRawLength = 0;
        callIdFromCallIdKey = false;
        payloadForm = PayloadForm.NONE;
        payloadLength = 0;
        timestampState = TS_ABSENT;
        timestamp = 0;
        track = MediaTrack.NONE;
        indexShift = shift;
        dst = payloadDst;
        dstOff = payloadOff;
        payloadSeen = false;
        timestampSeen = false;
        deferredPayload = -1;
    }

    private MediaEventRejection finish(byte[] b, int end) {
        if (!eventSeen) {
            return reject(MediaEventRejection.MISSING_EVENT.failCode());
        }
        if (event == MediaEventKind.MEDIA) {
            if (deferredPayload >= 0) {
                final int q = decodePayload(b, deferredPayload, end, deferredPayloadDepth);
                if (q < 0) {
                    return reject(q);
                }
            }
            if (payloadForm == PayloadForm.NONE) {
                return reject(MediaEventRejection.MISSING_PAYLOAD.failCode());
            }
            if (timestampState == TS_BAD) {
                return reject(MediaEventRejection.BAD_TIMESTAMP.failCode());
            }
        }
        dst = null;
        return MediaEventRejection.NONE;
    }

    private MediaEventRejection reject(int failCode) {
        rejection = MediaEventRejection.ofFailCode(failCode);
        callIdLength = 0;
        payloadForm = PayloadForm.NONE;
        payloadLength = 0;
        timestampState = TS_ABSENT;
        track = MediaTrack.NONE;
        dst = null;
        return rejection;
    }

    /** {@code p} at the {@code '{'} of the top-level object (depth 1) or the envelope's media object (depth 2). */
    private int scanObject(byte[] b, int p, int end, int depth) {
        final int relevant = depth == 1 ? TOP_KEYS : MEDIA_KEYS;
        int seen = 0;
        p = skipWs(b, p + 1, end);
        if (p < end && b[p] == '}') {
            return p + 1;
        }
        int key = NEXT_NAME;
        if (depth == 1 && ALOHAA_HEAD.at(b, p, end)) {
            // How every Alohaa media frame begins; taken in one step, with the effect of reading its tokens below.
            event = MediaEventKind.MEDIA;
            eventSeen = true;
            seen = 1 << MediaKeys.EVENT | 1 << MediaKeys.CALL_ID;
            key = MediaKeys.CALL_ID;
            p = skipWs(b, p + ALOHAA_HEAD.length(), end);
        }
        for (;;) {
            if (key == NEXT_NAME) {
                if (PAYLOAD_NAME.at(b, p, end)) { // the two names every media frame has, spelt plainly
                    key = MediaKeys.PAYLOAD;
                    p = skipWs(b, p + PAYLOAD_NAME.length(), end);
                } else if (TIMESTAMP_NAME.at(b, p, end)) {
                    key = MediaKeys.TIMESTAMP;
                    p = skipWs(b, p + TIMESTAMP_NAME.length(), end);
                } else {
                    final int q = skipName(b, p, end);
                    if (q < 0) {
                        return q;
                    }
                    key = MediaKeys.match(b, p + 1, q - 1, MediaKeys.NAMES, shortScratch);
                    p = skipColon(b, q, end);
                    if (p < 0) {
                        return p;
                    }
                }
                if (key != MediaKeys.UNKNOWN && (relevant & 1 << key) != 0) {
                    if ((seen & 1 << key) != 0) {
                        return DUPLICATE;
                    }
                    seen |= 1 << key;
                } else {
                    key = MediaKeys.UNKNOWN;
                }
            }
            p = skipToMemberEnd(b, member(b, p, end, key, depth), end);
            key = NEXT_NAME;
            if (p < 0) {
                return p;
            }
            if (b[p] == '}') {
                return p + 1;
            }
            p = skipWs(b, p + 1, end);
        }
    }

    /** One member value at {@code p} of an object at {@code depth}. */
    private int member(byte[] b, int p, int end, int key, int depth) {
        if (p >= end) {
            return INVALID;
        }
        switch (key) {
            case MediaKeys.EVENT:
                return eventValue(b, p, end, depth);
            case MediaKeys.CALL_ID:
                return idValue(b, p, end, depth, true);
            case MediaKeys.STREAM_SID:
                return idValue(b, p, end, depth, false);
            case MediaKeys.PAYLOAD:
                return payloadValue(b, p, end, depth);
            case MediaKeys.TIMESTAMP:
                return timestampValue(b, p, end, depth);
            case MediaKeys.TRACK:
                return trackValue(b, p, end, depth);
            case MediaKeys.MEDIA:
                if (b[p] == '{') {
                    return depth + 1 > MAX_DEPTH ? TOO_DEEP : scanObject(b, p, end, depth + 1);
                }
                return skipValue(b, p, end, MAX_DEPTH - depth);
            default:
                return skipValue(b, p, end, MAX_DEPTH - depth);
        }
    }

    private int eventValue(byte[] b, int p, int end, int depth) {
        if (b[p] != '"') {
            return skipValue(b, p, end, MAX_DEPTH - depth); // eventSeen stays false: MISSING_EVENT
        }
        final int q = skipString(b, p, end);
        if (q >= 0) {
            final int k = MediaKeys.match(b, p + 1, q - 1, MediaKeys.EVENTS, shortScratch);
            event = k < 0 ? MediaEventKind.UNKNOWN : KINDS[k];
            eventSeen = true;
        }
        return q;
    }

    private int idValue(byte[] b, int p, int end, int depth, boolean fromCallIdKey) {
        if (b[p] != '"') {
            final int q = skipValue(b, p, end, MAX_DEPTH - depth);
            return q < 0 ? q : BAD_CALL_ID;
        }
        final int q = skipString(b, p, end);
        if (q < 0 || (!fromCallIdKey && callIdFromCallIdKey)) {
            return q;
        }
        final int rawLength = q - 1 - (p + 1);
        final int n;
        if (rawLength <= MAX_CALL_ID_BYTES && copyPlainId(b, p + 1, rawLength)) {
            n = rawLength; // the usual id: no escapes, no DEL, so its bytes are its value
        } else {
            n = JsonSyntax.unescape(b, p + 1, q - 1, callId, 0, MAX_CALL_ID_BYTES);
            if (n < 0) {
                return MediaEventRejection.CALL_ID_TOO_LONG.failCode();
            }
            for (int i = 0; i < n; i++) {
                final byte c = callId[i];
                if ((c >= 0 && c < 0x20) || c == 0x7F) {
                    return MediaEventRejection.CALL_ID_CONTROL_CHARS.failCode();
                }
            }
        }
        if (n == 0) {
            return BAD_CALL_ID;
        }
        callIdLength = n;
        callIdOffset = p + 1 + indexShift;
        callIdRawLength = q - 1 - (p + 1);
        callIdFromCallIdKey = fromCallIdKey;
        return q;
    }

    /**
     * Copies the {@code length} raw bytes of a validated id string into {@link #callId}; false,
     * copying nothing, if it holds a backslash (an escape) or DEL. Raw control characters cannot
     * occur: {@link JsonSyntax#skipString} rejected them.
     */
    private boolean copyPlainId(byte[] b, int from, int length) {
        int i = 0;
        for (; length - i >= 8; i += 8) {
            final long x = Swar.longAt(b, from + i);
            if ((Swar.zeroLanes(x ^ BACKSLASHES) | Swar.zeroLanes(x ^ DELS)) != 0) {
                return false;
            }
        }
        for (; i < length; i++) {
            final byte c = b[from + i];
            if (c == '\\' || c == 0x7F) {
                return false;
            }
        }
        System.arraycopy(b, from, callId, 0, length);
        return true;
    }

    private int payloadValue(byte[] b, int p, int end, int depth) {
        if (payloadSeen) {
            return DUPLICATE;
        }
        payloadSeen = true;
        if (event == MediaEventKind.MEDIA) {
            return decodePayload(b, p, end, depth);
        }
        if (!eventSeen) {
            deferredPayload = p; // decoded in finish() if the event turns out to be media
            deferredPayloadDepth = depth;
        }
        return skipValue(b, p, end, MAX_DEPTH - depth);
    }

    private int decodePayload(byte[] b, int p, int end, int depth) {
        final int q;
        final PayloadForm form;
        switch (b[p]) {
            case '"':
                q = payloadDecoder.decodeBase64(b, p, end, dst, dstOff);
                form = PayloadForm.BASE64;
                break;
            case '{':
                q = payloadDecoder.decodeBufferJson(b, p, end, dst, dstOff, depth + 1);
                form = PayloadForm.BUFFER_JSON;
                break;
            case 'n':
                return skipNull(b, p, end); // absent: MISSING_PAYLOAD unless given elsewhere
            default:
                final int skipped = skipValue(b, p, end, MAX_DEPTH - depth);
                return skipped < 0 ? skipped : MediaEventRejection.BAD_PAYLOAD_TYPE.failCode();
        }
        if (q >= 0) {
            payloadForm = form;
            payloadLength = payloadDecoder.length;
        }
        return q;
    }

    private int timestampValue(byte[] b, int p, int end, int depth) {
        if (timestampSeen) {
            return DUPLICATE;
        }
        timestampSeen = true;
        final byte c = b[p];
        final int q;
        if (c == '"') {
            q = skipString(b, p, end);
            if (q >= 0) {
                timestamps.parse(b, p + 1, q - 1);
                setTimestamp();
            }
        } else if (c == '-' || isDigit(c)) {
            final int plain = timestamps.parsePlain(b, p, end);
            if (plain >= 0) {
                setTimestamp();
                return plain;
            }
            q = skipNumber(b, p, end);
            if (q >= 0) {
                timestamps.parse(b, p, q);
                setTimestamp();
            }
        } else if (c == 'n') {
            q = skipNull(b, p, end);
        } else {
            q = skipValue(b, p, end, MAX_DEPTH - depth);
            timestampState = TS_BAD;
        }
        return q;
    }

    private void setTimestamp() {
        timestampState = timestamps.ok ? TS_OK : TS_BAD;
        timestamp = timestamps.ok ? timestamps.value : 0;
    }

    private int trackValue(byte[] b, int p, int end, int depth) {
        final int q = skipValue(b, p, end, MAX_DEPTH - depth);
        if (q >= 0) {
            final int k = b[p] == '"' ? MediaKeys.match(b, p + 1, q - 1, MediaKeys.TRACKS, shortScratch) : -1;
            track = k == 0 ? MediaTrack.INBOUND : k == 1 ? MediaTrack.OUTBOUND : MediaTrack.OTHER;
        }
        return q;
    }
}
