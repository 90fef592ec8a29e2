package dev.relay.core.telephony;

import static dev.relay.core.telephony.JsonSyntax.INVALID;
import static dev.relay.core.telephony.JsonSyntax.TOO_DEEP;
import static dev.relay.core.telephony.JsonSyntax.isDigit;
import static dev.relay.core.telephony.JsonSyntax.skipNull;
import static dev.relay.core.telephony.JsonSyntax.skipNumber;
import static dev.relay.core.telephony.JsonSyntax.skipString;
import static dev.relay.core.telephony.JsonSyntax.skipValue;
import static dev.relay.core.telephony.JsonSyntax.skipWs;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Scans one inbound telephony JSON text frame without building a tree or
 * allocating: reports the event kind, the call id, the timestamp and, for media
 * events, decodes the payload straight into a caller-supplied array.
 *
 * <p>Understands the Alohaa form
 * {@code {"event":"media","callId":"…","payload":P,"timestamp":N}} with P a
 * Node.js Buffer JSON object or a base64 string, and the Media Streams envelope
 * {@code {"event":"media","streamSid":"…","media":{"track":"inbound","timestamp":"5","payload":"<base64>"}}}.
 * Keys may come in any order; unknown members (nested or not) are skipped but
 * their syntax is still validated, so any frame that is not a single valid JSON
 * document is {@link MediaEventRejection#INVALID_JSON}. Every other event is only
 * classified ({@link #event()}) and its id extracted; the caller re-parses those
 * rare control frames with a general parser.
 *
 * <p>Decisions a general parser would leave open:
 * <ul>
 *   <li>Base64: standard and URL-safe alphabets both decode; padding is optional
 *       but, if present, must be complete; whitespace (and the escapes that
 *       would produce it) is {@link MediaEventRejection#BAD_BASE64}.</li>
 *   <li>Duplicate keys: a recognised key (event, callId, streamSid, payload,
 *       timestamp, media, and track/type/data in their objects) given twice is
 *       {@link MediaEventRejection#DUPLICATE_KEY}, because parsers disagree on
 *       which copy wins and the control path re-parses with another parser.
 *       Duplicate unknown keys are not tracked.</li>
 *   <li>The id is {@code callId}, or for envelope frames, which have none,
 *       {@code streamSid}. A {@code streamSid} after a {@code callId} is ignored.
 *       Empty ids are {@link MediaEventRejection#BAD_CALL_ID}.</li>
 *   <li>A {@code null} payload counts as absent; a {@code null} timestamp too.
 *       Timestamp and payload problems reject only media events.</li>
 * </ul>
 *
 * <p>A frame that is not one well-formed JSON document is always
 * {@link MediaEventRejection#INVALID_JSON} (or {@link MediaEventRejection#TOO_DEEP}
 * for excessive nesting), whatever else is wrong with it: the other rejections are
 * only reported for well-formed documents.
 *
 * <p>Never throws for any frame content and never moves the frame's indices.
 * Direct (and composite) frames are copied once into a scratch array kept by
 * the scanner, which is cheaper than per-byte {@code getByte} calls; frames
 * larger than {@code maxRetainedScratchBytes} get a one-off array instead, so
 * an occasional huge frame does not pin memory per connection.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop. All
 * accessors describe the last {@code scan} and are valid until the next one;
 * after a rejection only {@link #event()} is meaningful (best effort). The
 * decoded id is copied into the scanner, so the id accessors do not depend on
 * the frame staying alive.
 */
public final class MediaEventScanner {
    /** Deepest nesting of objects/arrays accepted; the top-level object is depth 1. */
    public static final int MAX_DEPTH = 32;
    /** Longest accepted callId/streamSid, in UTF-8 bytes after unescaping. */
    public static final int MAX_CALL_ID_BYTES = 128;
    /** Default for {@link #MediaEventScanner(int)}. */
    public static final int DEFAULT_MAX_RETAINED_SCRATCH_BYTES = 64 * 1024;

    private static final MediaEventKind[] KINDS = MediaEventKind.values();
    private static final int DUPLICATE = MediaEventRejection.DUPLICATE_KEY.failCode();
    private static final int BAD_CALL_ID = MediaEventRejection.BAD_CALL_ID.failCode();
    private static final int TOP_KEYS = 1 << MediaKeys.EVENT | 1 << MediaKeys.CALL_ID | 1 << MediaKeys.STREAM_SID
            | 1 << MediaKeys.PAYLOAD | 1 << MediaKeys.TIMESTAMP | 1 << MediaKeys.MEDIA;
    private static final int MEDIA_KEYS = 1 << MediaKeys.PAYLOAD | 1 << MediaKeys.TIMESTAMP | 1 << MediaKeys.TRACK;
    private static final int TS_ABSENT = 0;
    private static final int TS_OK = 1;
    private static final int TS_BAD = 2;

    private final PayloadDecoder payloadDecoder = new PayloadDecoder();
    private final byte[] shortScratch = new byte[MediaKeys.SHORT_MAX];
    private final byte[] callId = new byte[MAX_CALL_ID_BYTES];
    private final int maxRetainedScratchBytes;
    private byte[] frameScratch = new byte[2048];

    // Results of the last scan.
    private MediaEventRejection rejection = MediaEventRejection.NONE;
    private MediaEventKind event = MediaEventKind.UNKNOWN;
    private boolean eventSeen;
    private int callIdLength;
    private int callIdOffset;
    private int callIdRawLength;
    private boolean callIdFromCallIdKey;
    private PayloadForm payloadForm = PayloadForm.NONE;
    private int payloadLength;
    private int timestampState;
    private long timestamp;
    private MediaTrack track = MediaTrack.NONE;

    // State of the scan in progress.
    private int indexShift;
    private byte[] dst;
    private int dstOff;
    private boolean payloadSeen;
    private boolean timestampSeen;
    private int deferredPayload;
    private int deferredPayloadDepth;

    /** A scanner retaining a scratch copy of up to {@link #DEFAULT_MAX_RETAINED_SCRATCH_BYTES}. */
    public MediaEventScanner() {
        this(DEFAULT_MAX_RETAINED_SCRATCH_BYTES);
    }

    /** @param maxRetainedScratchBytes largest direct frame whose scratch copy is kept for reuse */
    public MediaEventScanner(int maxRetainedScratchBytes) {
        if (maxRetainedScratchBytes < 0) {
            throw new IllegalArgumentException("maxRetainedScratchBytes < 0: " + maxRetainedScratchBytes);
        }
        this.maxRetainedScratchBytes = maxRetainedScratchBytes;
    }

    /**
     * Scans {@code frame}'s readable bytes. The frame is neither released nor moved.
     * A media payload is decoded into {@code payloadDst[dstOff..]}; if it does not
     * fit, the result is {@link MediaEventRejection#PAYLOAD_TOO_LARGE} (bytes up to
     * the array's end may have been written).
     *
     * @return {@link MediaEventRejection#NONE} when accepted, else why not
     */
    public MediaEventRejection scan(ByteBuf frame, byte[] payloadDst, int dstOff) {
        final int len = frame.readableBytes();
        final int readerIndex = frame.readerIndex();
        if (frame.hasArray()) {
            final int start = frame.arrayOffset() + readerIndex;
            return scan0(frame.array(), start, len, readerIndex - start, payloadDst, dstOff);
        }
        final byte[] copy = scratchFor(len);
        frame.getBytes(readerIndex, copy, 0, len);
        return scan0(copy, 0, len, readerIndex, payloadDst, dstOff);
    }

    /**
     * Scans {@code src[off..off+len)}; as {@link #scan(ByteBuf, byte[], int)}, with
     * {@link #callIdOffset()} an index into {@code src}.
     */
    public MediaEventRejection scan(byte[] src, int off, int len, byte[] payloadDst, int dstOff) {
        Objects.checkFromIndexSize(off, len, src.length);
        return scan0(src, off, len, 0, payloadDst, dstOff);
    }

    private MediaEventRejection scan0(byte[] b, int start, int len, int shift, byte[] payloadDst, int payloadOff) {
        Objects.checkIndex(payloadOff, payloadDst.length + 1);
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
        for (;;) {
            if (p >= end || b[p] != '"') {
                return INVALID;
            }
            int q = skipString(b, p, end);
            if (q < 0) {
                return q;
            }
            int key = MediaKeys.match(b, p + 1, q - 1, MediaKeys.NAMES, shortScratch);
            p = skipWs(b, q, end);
            if (p >= end || b[p] != ':') {
                return INVALID;
            }
            p = skipWs(b, p + 1, end);
            if (key != MediaKeys.UNKNOWN && (relevant & 1 << key) != 0) {
                if ((seen & 1 << key) != 0) {
                    return DUPLICATE;
                }
                seen |= 1 << key;
            } else {
                key = MediaKeys.UNKNOWN;
            }
            q = member(b, p, end, key, depth);
            if (q < 0) {
                return q;
            }
            p = skipWs(b, q, end);
            if (p >= end) {
                return INVALID;
            }
            if (b[p] == ',') {
                p = skipWs(b, p + 1, end);
            } else if (b[p] == '}') {
                return p + 1;
            } else {
                return INVALID;
            }
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
        final int n = JsonSyntax.unescape(b, p + 1, q - 1, callId, 0, MAX_CALL_ID_BYTES);
        if (n < 0) {
            return MediaEventRejection.CALL_ID_TOO_LONG.failCode();
        }
        if (n == 0) {
            return BAD_CALL_ID;
        }
        for (int i = 0; i < n; i++) {
            final byte c = callId[i];
            if ((c >= 0 && c < 0x20) || c == 0x7F) {
                return MediaEventRejection.CALL_ID_CONTROL_CHARS.failCode();
            }
        }
        callIdLength = n;
        callIdOffset = p + 1 + indexShift;
        callIdRawLength = q - 1 - (p + 1);
        callIdFromCallIdKey = fromCallIdKey;
        return q;
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
                parseTimestamp(b, p + 1, q - 1);
            }
        } else if (c == '-' || isDigit(c)) {
            q = skipNumber(b, p, end);
            if (q >= 0) {
                parseTimestamp(b, p, q);
            }
        } else if (c == 'n') {
            q = skipNull(b, p, end);
        } else {
            q = skipValue(b, p, end, MAX_DEPTH - depth);
            timestampState = TS_BAD;
        }
        return q;
    }

    /** Parses {@code -?[0-9]+} into a long, like {@link Long#parseLong}, without allocating. */
    private void parseTimestamp(byte[] b, int i, int end) {
        final boolean negative = i < end && b[i] == '-';
        if (negative) {
            i++;
        }
        timestampState = TS_BAD;
        if (i >= end) {
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
        timestamp = negative ? acc : -acc;
        timestampState = TS_OK;
    }

    private int trackValue(byte[] b, int p, int end, int depth) {
        final int q = skipValue(b, p, end, MAX_DEPTH - depth);
        if (q >= 0) {
            final int k = b[p] == '"' ? MediaKeys.match(b, p + 1, q - 1, MediaKeys.TRACKS, shortScratch) : -1;
            track = k == 0 ? MediaTrack.INBOUND : k == 1 ? MediaTrack.OUTBOUND : MediaTrack.OTHER;
        }
        return q;
    }

    private byte[] scratchFor(int len) {
        if (len <= frameScratch.length) {
            return frameScratch;
        }
        if (len > maxRetainedScratchBytes) {
            return new byte[len];
        }
        final int pow2 = Integer.highestOneBit(len - 1) << 1; // negative once past 2^30
        frameScratch = new byte[pow2 > 0 && pow2 < maxRetainedScratchBytes ? pow2 : maxRetainedScratchBytes];
        return frameScratch;
    }

    /** Result of the last scan ({@link MediaEventRejection#NONE} if accepted). */
    public MediaEventRejection rejection() {
        return rejection;
    }

    /** The event kind; {@link MediaEventKind#UNKNOWN} for unrecognised names. */
    public MediaEventKind event() {
        return event;
    }

    /** True if the frame carried a callId (or, for envelope frames, a streamSid). */
    public boolean hasCallId() {
        return callIdLength > 0;
    }

    /** True if the id came from {@code streamSid} rather than {@code callId}. */
    public boolean callIdFromStreamSid() {
        return callIdLength > 0 && !callIdFromCallIdKey;
    }

    /** Index in the frame (or source array) of the id's first byte, after the opening quote, as written. */
    public int callIdOffset() {
        return callIdOffset;
    }

    /** Length of the id as written in the frame, escapes included. */
    public int callIdRawLength() {
        return callIdRawLength;
    }

    /** Length of the id in UTF-8 bytes after unescaping; 0 if none. */
    public int callIdLength() {
        return callIdLength;
    }

    /** True if the id contained JSON escapes, so its raw bytes differ from its value. */
    public boolean callIdHasEscapes() {
        return callIdRawLength != callIdLength;
    }

    /** Compares the unescaped id with {@code utf8}, without allocating. */
    public boolean callIdEquals(byte[] utf8) {
        return callIdEquals(utf8, 0, utf8.length);
    }

    /** Compares the unescaped id with {@code utf8[off..off+len)}, without allocating. */
    public boolean callIdEquals(byte[] utf8, int off, int len) {
        return callIdLength > 0 && Arrays.equals(callId, 0, callIdLength, utf8, off, off + len);
    }

    /** Copies the unescaped id to {@code dst[off..]} and returns its length. */
    public int copyCallId(byte[] dst, int off) {
        System.arraycopy(callId, 0, dst, off, callIdLength);
        return callIdLength;
    }

    /** The id as a String ({@code ""} if none). Allocates: for the registration path only. */
    public String callIdString() {
        return new String(callId, 0, callIdLength, StandardCharsets.UTF_8);
    }

    /** True if a valid timestamp was present (number or digit string). */
    public boolean hasTimestamp() {
        return timestampState == TS_OK;
    }

    /** The timestamp as sent (Alohaa: epoch ms; envelope: ms since stream start); 0 if none. */
    public long timestamp() {
        return timestamp;
    }

    /** How the payload was encoded; {@link PayloadForm#NONE} unless an accepted media event. */
    public PayloadForm payloadForm() {
        return payloadForm;
    }

    /** Payload bytes written at the {@code dstOff} given to {@code scan}. */
    public int payloadLength() {
        return payloadLength;
    }

    /** The envelope's {@code media.track}, {@link MediaTrack#NONE} if absent. */
    public MediaTrack track() {
        return track;
    }
}
