package dev.relay.core.scanner;

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
 * an occasional huge frame does not pin memory per thread.
 *
 * <p>Not thread-safe: one instance per thread that scans, shared by every socket on it (the IO
 * loops use the one in their {@link IoScratch}); a frame is scanned and used to the end before
 * the next one. All
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

    private final MediaEventGrammar g = new MediaEventGrammar();
    private final int maxRetainedScratchBytes;
    private byte[] frameScratch = new byte[2048];

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
        return g.scan(b, start, len, shift, payloadDst, payloadOff);
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
        return g.rejection;
    }

    /** The event kind; {@link MediaEventKind#UNKNOWN} for unrecognised names. */
    public MediaEventKind event() {
        return g.event;
    }

    /** True if the frame carried a callId (or, for envelope frames, a streamSid). */
    public boolean hasCallId() {
        return g.callIdLength > 0;
    }

    /** True if the id came from {@code streamSid} rather than {@code callId}. */
    public boolean callIdFromStreamSid() {
        return g.callIdLength > 0 && !g.callIdFromCallIdKey;
    }

    /** Index in the frame (or source array) of the id's first byte, after the opening quote, as written. */
    public int callIdOffset() {
        return g.callIdOffset;
    }

    /** Length of the id as written in the frame, escapes included. */
    public int callIdRawLength() {
        return g.callIdRawLength;
    }

    /** Length of the id in UTF-8 bytes after unescaping; 0 if none. */
    public int callIdLength() {
        return g.callIdLength;
    }

    /** True if the id contained JSON escapes, so its raw bytes differ from its value. */
    public boolean callIdHasEscapes() {
        return g.callIdRawLength != g.callIdLength;
    }

    /** Compares the unescaped id with {@code utf8}, without allocating. */
    public boolean callIdEquals(byte[] utf8) {
        return callIdEquals(utf8, 0, utf8.length);
    }

    /** Compares the unescaped id with {@code utf8[off..off+len)}, without allocating. */
    public boolean callIdEquals(byte[] utf8, int off, int len) {
        return g.callIdLength > 0 && Arrays.equals(g.callId, 0, g.callIdLength, utf8, off, off + len);
    }

    /** Copies the unescaped id to {@code dst[off..]} and returns its length. */
    public int copyCallId(byte[] dst, int off) {
        System.arraycopy(g.callId, 0, dst, off, g.callIdLength);
        return g.callIdLength;
    }

    /** The id as a String ({@code ""} if none). Allocates: for the registration path only. */
    public String callIdString() {
        return new String(g.callId, 0, g.callIdLength, StandardCharsets.UTF_8);
    }

    /** True if a valid timestamp was present (number or digit string). */
    public boolean hasTimestamp() {
        return g.timestampState == MediaEventGrammar.TS_OK;
    }

    /** The timestamp as sent (Alohaa: epoch ms; envelope: ms since stream start); 0 if none. */
    public long timestamp() {
        return g.timestamp;
    }

    /** How the payload was encoded; {@link PayloadForm#NONE} unless an accepted media event. */
    public PayloadForm payloadForm() {
        return g.payloadForm;
    }

    /** Payload bytes written at the {@code dstOff} given to {@code scan}. */
    public int payloadLength() {
        return g.payloadLength;
    }

    /** The envelope's {@code media.track}, {@link MediaTrack#NONE} if absent. */
    public MediaTrack track() {
        return g.track;
    }
}
