package dev.relay.core.ingress;

import static dev.relay.core.net.JsonOut.ascii;

import dev.relay.core.net.JsonOut;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Encodes relay → Alohaa messages (SPEC §4.1) straight into a {@link ByteBuf}.
 *
 * <p>Every method appends one complete JSON text at {@code out}'s writer index,
 * growing it once up front; it does not touch the reader index, does not take
 * ownership of {@code out} and allocates nothing. Audio goes out as a Node.js
 * Buffer JSON digit list, written from a precomputed table. Ids are given as UTF-8
 * and escaped as JSON requires ({@code "}, {@code \}, and control characters,
 * which registration should have refused anyway). Stateless and thread-safe.
 */
public final class AlohaaOutbound {
    private static final byte[] CONNECTED_PREFIX = ascii("{\"event\":\"connected\",\"data\":{\"callId\":\"");
    private static final byte[] CONNECTED_SUFFIX = ascii("\"}}");
    private static final byte[] MEDIA_PREFIX = ascii("{\"event\":\"media\",\"callId\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"payload\":{\"type\":\"Buffer\",\"data\":[");
    private static final byte[] MEDIA_TIMESTAMP = ascii("]},\"timestamp\":");
    private static final byte[] MEDIA_SUFFIX = ascii("}");
    private static final byte[] GREETING_PREFIX =
            ascii("{\"event\":\"greeting\",\"payload\":{\"type\":\"Buffer\",\"data\":[");
    private static final byte[] GREETING_SUFFIX = ascii("]}}");
    private static final byte[] INTERRUPT_PREFIX = ascii("{\"event\":\"interrupt\",\"callId\":\"");
    private static final byte[] INTERRUPT_SUFFIX = ascii("\"}");

    private static final int MEDIA_FIXED_BYTES = MEDIA_PREFIX.length + MEDIA_PAYLOAD.length
            + MEDIA_TIMESTAMP.length + MEDIA_SUFFIX.length;

    private AlohaaOutbound() {}

    /** {@code {"event":"connected","data":{"callId":"…"}}}: the registration acknowledgement. */
    public static void writeConnectedAck(ByteBuf out, byte[] callIdUtf8) {
        writeAround(out, CONNECTED_PREFIX, callIdUtf8, CONNECTED_SUFFIX);
    }

    /**
     * {@code {"event":"media","callId":"…","payload":{"type":"Buffer","data":[…]},"timestamp":N}}
     * carrying {@code audio[off..off+len)} (μ-law 8 kHz with a WAV header, per SPEC). Keep
     * {@code len} within {@link #maxAudioBytesPerMessage} to respect the peer's message limit.
     */
    public static void writeMedia(ByteBuf out, byte[] callIdUtf8, byte[] audio, int off, int len, long timestamp) {
        Objects.checkFromIndexSize(off, len, audio.length);
        final int idLength = JsonOut.escapedLength(callIdUtf8);
        out.ensureWritable(MEDIA_FIXED_BYTES + idLength + JsonOut.maxDigitListLength(len) + JsonOut.MAX_LONG_CHARS);
        out.writeBytes(MEDIA_PREFIX);
        JsonOut.writeEscaped(out, callIdUtf8, idLength);
        out.writeBytes(MEDIA_PAYLOAD);
        JsonOut.writeDigitList(out, audio, off, len);
        out.writeBytes(MEDIA_TIMESTAMP);
        JsonOut.writeLong(out, timestamp);
        out.writeBytes(MEDIA_SUFFIX);
    }

    /** {@code {"event":"greeting","payload":{"type":"Buffer","data":[…]}}}. */
    public static void writeGreeting(ByteBuf out, byte[] audio, int off, int len) {
        Objects.checkFromIndexSize(off, len, audio.length);
        out.ensureWritable(GREETING_PREFIX.length + JsonOut.maxDigitListLength(len) + GREETING_SUFFIX.length);
        out.writeBytes(GREETING_PREFIX);
        JsonOut.writeDigitList(out, audio, off, len);
        out.writeBytes(GREETING_SUFFIX);
    }

    /** {@code {"event":"interrupt","callId":"…"}}: stop playing queued audio. */
    public static void writeInterrupt(ByteBuf out, byte[] callIdUtf8) {
        writeAround(out, INTERRUPT_PREFIX, callIdUtf8, INTERRUPT_SUFFIX);
    }

    /** {@code prefix}, the escaped id, {@code suffix}: the messages that carry nothing but the call id. */
    private static void writeAround(ByteBuf out, byte[] prefix, byte[] callIdUtf8, byte[] suffix) {
        final int idLength = JsonOut.escapedLength(callIdUtf8);
        out.ensureWritable(prefix.length + idLength + suffix.length);
        out.writeBytes(prefix);
        JsonOut.writeEscaped(out, callIdUtf8, idLength);
        out.writeBytes(suffix);
    }

    /**
     * Most audio bytes one {@link #writeMedia} message may carry so that it is at most
     * {@code maxMessageBytes} long whatever the bytes, the timestamp and the id's
     * content: every byte as {@code 255,}, every id byte escaped as {@code \u005Cu00XX},
     * a 20-character timestamp. Returns 0 if not even one byte fits.
     *
     * @param maxMessageBytes the peer's limit on one text message (SPEC: 1 MiB)
     * @param callIdUtf8Len   the id's length in UTF-8 bytes, unescaped
     */
    public static int maxAudioBytesPerMessage(int maxMessageBytes, int callIdUtf8Len) {
        if (maxMessageBytes < 0 || callIdUtf8Len < 0) {
            throw new IllegalArgumentException("negative size: " + maxMessageBytes + ", " + callIdUtf8Len);
        }
        final long fixed = MEDIA_FIXED_BYTES + (long) JsonOut.MAX_ESCAPED_BYTES_PER_BYTE * callIdUtf8Len
                + JsonOut.MAX_LONG_CHARS;
        return maxDigitListBytes(maxMessageBytes - fixed);
    }

    /** As {@link #maxAudioBytesPerMessage}, for {@link #writeGreeting}, which cannot be split. */
    public static int maxGreetingAudioBytes(int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("negative size: " + maxMessageBytes);
        }
        return maxDigitListBytes((long) maxMessageBytes - GREETING_PREFIX.length - GREETING_SUFFIX.length);
    }

    /** Largest n with {@code 4n - 1 <= budget} (the list has no trailing comma). */
    private static int maxDigitListBytes(long budget) {
        return budget < JsonOut.MAX_DIGIT_CHARS_PER_BYTE - 1
                ? 0 : (int) ((budget + 1) / JsonOut.MAX_DIGIT_CHARS_PER_BYTE);
    }
}
