package dev.relay.core.ingress;

import static dev.relay.core.net.JsonOut.ascii;

import dev.relay.core.net.Base64Writer;
import dev.relay.core.net.JsonOut;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * Encodes relay → peer messages of the Media Streams envelope (SPEC §4.2): bot
 * audio as {@code media} with a base64 payload, {@code mark} to learn when playback
 * reached a point, and {@code clear} to interrupt.
 *
 * <p>Same contract as {@link AlohaaOutbound}: appends at the writer index, grows
 * {@code out} once, never takes ownership, allocates nothing, thread-safe. The
 * envelope's audio is raw μ-law 8 kHz (no WAV header), standard base64 with padding.
 */
public final class EnvelopeOutbound {
    private static final byte[] MEDIA_PREFIX = ascii("{\"event\":\"media\",\"streamSid\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"media\":{\"payload\":\"");
    private static final byte[] MEDIA_SUFFIX = ascii("\"}}");
    private static final byte[] MARK_PREFIX = ascii("{\"event\":\"mark\",\"streamSid\":\"");
    private static final byte[] MARK_NAME = ascii("\",\"mark\":{\"name\":\"");
    private static final byte[] MARK_SUFFIX = ascii("\"}}");
    private static final byte[] CLEAR_PREFIX = ascii("{\"event\":\"clear\",\"streamSid\":\"");
    private static final byte[] CLEAR_SUFFIX = ascii("\"}");

    private static final int MEDIA_FIXED_BYTES = MEDIA_PREFIX.length + MEDIA_PAYLOAD.length + MEDIA_SUFFIX.length;

    private EnvelopeOutbound() {}

    /** {@code {"event":"media","streamSid":"…","media":{"payload":"<base64>"}}}. */
    public static void writeMedia(ByteBuf out, byte[] streamSidUtf8, byte[] audio, int off, int len) {
        Objects.checkFromIndexSize(off, len, audio.length);
        final int sidLength = JsonOut.escapedLength(streamSidUtf8);
        out.ensureWritable(MEDIA_FIXED_BYTES + sidLength + Base64Writer.encodedLength(len));
        out.writeBytes(MEDIA_PREFIX);
        JsonOut.writeEscaped(out, streamSidUtf8, sidLength);
        out.writeBytes(MEDIA_PAYLOAD);
        Base64Writer.write(out, audio, off, len);
        out.writeBytes(MEDIA_SUFFIX);
    }

    /** {@code {"event":"mark","streamSid":"…","mark":{"name":"…"}}}. */
    public static void writeMark(ByteBuf out, byte[] streamSidUtf8, byte[] nameUtf8) {
        final int sidLength = JsonOut.escapedLength(streamSidUtf8);
        final int nameLength = JsonOut.escapedLength(nameUtf8);
        out.ensureWritable(MARK_PREFIX.length + sidLength + MARK_NAME.length + nameLength + MARK_SUFFIX.length);
        out.writeBytes(MARK_PREFIX);
        JsonOut.writeEscaped(out, streamSidUtf8, sidLength);
        out.writeBytes(MARK_NAME);
        JsonOut.writeEscaped(out, nameUtf8, nameLength);
        out.writeBytes(MARK_SUFFIX);
    }

    /** {@code {"event":"clear","streamSid":"…"}}: drop audio the peer has buffered. */
    public static void writeClear(ByteBuf out, byte[] streamSidUtf8) {
        final int sidLength = JsonOut.escapedLength(streamSidUtf8);
        out.ensureWritable(CLEAR_PREFIX.length + sidLength + CLEAR_SUFFIX.length);
        out.writeBytes(CLEAR_PREFIX);
        JsonOut.writeEscaped(out, streamSidUtf8, sidLength);
        out.writeBytes(CLEAR_SUFFIX);
    }

    /**
     * Most audio bytes one {@link #writeMedia} message may carry so that it is at most
     * {@code maxMessageBytes} long, assuming every id byte needs a 6-byte escape. A
     * multiple of 3, so that split messages carry no padding mid-stream. 0 if none fit.
     */
    public static int maxAudioBytesPerMessage(int maxMessageBytes, int streamSidUtf8Len) {
        if (maxMessageBytes < 0 || streamSidUtf8Len < 0) {
            throw new IllegalArgumentException("negative size: " + maxMessageBytes + ", " + streamSidUtf8Len);
        }
        final long budget = maxMessageBytes - MEDIA_FIXED_BYTES
                - (long) JsonOut.MAX_ESCAPED_BYTES_PER_BYTE * streamSidUtf8Len;
        return budget < 4 ? 0 : (int) (budget / 4 * 3);
    }
}
