package dev.relay.core.net;

import static dev.relay.core.net.JsonOut.ascii;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the Media Streams envelope's messages (SPEC §4.2, Twilio's shapes) for one stream, in
 * either of the relay's two roles:
 * <ul>
 *   <li>the stream's source, toward a bot or a session server: {@link #connected}, {@link #start},
 *       {@link #media} with its counters, a {@link #mark} echo, {@link #stop};
 *   <li>the application, toward a telephony peer: audio to play ({@link #playMedia}, a payload
 *       only), {@link #playMark}, {@link #clear}.
 * </ul>
 *
 * <pre>
 * {"event":"media","streamSid":"MZ…","sequenceNumber":"7","media":{"track":"inbound","chunk":"6",
 *  "timestamp":"120","payload":"&lt;base64&gt;"}}
 * {"event":"media","streamSid":"MZ…","media":{"payload":"&lt;base64&gt;"}}
 * </pre>
 *
 * <p>What differs between callers is a parameter: where {@code streamSid} stands in each message
 * ({@link Layout}: peers read it anywhere, and each caller keeps the bytes its peers have always
 * received), and which optional {@code start} fields a caller sends ({@link Start}). Counters are
 * JSON strings, as Twilio sends them.
 *
 * <p>Strings are quoted as {@link Json#MAPPER} quotes them; the stream sid once, at construction.
 * Audio messages go straight into the caller's buffer (constants, digits, {@link Base64Writer}),
 * without a String; the rare control messages allocate their quoted strings.
 *
 * <p>Thread-safety: {@link #media(ByteBuf, long, long, long, ByteBuf)} reuses this writer's
 * scratch arrays, so one thread at a time (the stream's IO loop); everything else is stateless
 * after construction.
 */
public final class MediaStreamsWriter {
    /** Where a message's top-level {@code "streamSid"} stands. */
    public enum SidAt {
        /** Right after {@code "event"}. */
        AFTER_EVENT,
        /** After {@code "sequenceNumber"} (after {@code "event"} when a message has none), before the body. */
        AFTER_SEQUENCE,
        /** Last, after the message's body. */
        LAST
    }

    /** Where {@code "streamSid"} stands in each kind of message. */
    public record Layout(SidAt start, SidAt media, SidAt mark, SidAt stop) {
        /** The same place in every message. */
        public static Layout everywhere(SidAt at) {
            return new Layout(at, at, at, at);
        }
    }

    /**
     * A {@code start} message's fields: {@code callId} is sent beside {@code callSid} unless null,
     * {@code customParameters} (written in iteration order: pass an ordered map) unless null.
     */
    public record Start(String callSid, String callId, Map<String, String> customParameters, String encoding,
            int sampleRateHz) {}

    private static final byte[] CONNECTED =
            ascii("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");
    private static final byte[] EVENT_START = ascii("{\"event\":\"start\"");
    private static final byte[] EVENT_MEDIA = ascii("{\"event\":\"media\"");
    private static final byte[] EVENT_MARK = ascii("{\"event\":\"mark\"");
    private static final byte[] EVENT_CLEAR = ascii("{\"event\":\"clear\"");
    private static final byte[] EVENT_STOP = ascii("{\"event\":\"stop\"");
    private static final byte[] SEQUENCE = ascii(",\"sequenceNumber\":\"");
    private static final byte[] STREAM_SID = ascii(",\"streamSid\":");
    private static final byte[] MEDIA_CHUNK = ascii(",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static final byte[] MEDIA_TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] PLAY_PAYLOAD = ascii(",\"media\":{\"payload\":\"");
    private static final byte[] PAYLOAD_END = ascii("\"}");
    private static final byte[] MARK_NAME = ascii(",\"mark\":{\"name\":");
    private static final byte[] START_SID = ascii(",\"start\":{\"streamSid\":");
    private static final byte[] CALL_SID = ascii(",\"callSid\":");
    private static final byte[] CALL_ID = ascii(",\"callId\":");
    private static final byte[] TRACKS = ascii(",\"tracks\":[\"inbound\"]");
    private static final byte[] CUSTOM = ascii(",\"customParameters\":{");
    private static final byte[] FORMAT_ENCODING = ascii(",\"mediaFormat\":{\"encoding\":");
    private static final byte[] FORMAT_RATE = ascii(",\"sampleRate\":");
    private static final byte[] FORMAT_END = ascii(",\"channels\":1}}");
    private static final byte[] STOP_CALL_SID = ascii(",\"stop\":{\"callSid\":");
    private static final byte[] REASON = ascii(",\"reason\":");
    private static final byte[] EMPTY = new byte[0];

    /** {@link #playMedia}'s bytes besides the sid's characters and the payload. */
    private static final int PLAY_FIXED_BYTES =
            EVENT_MEDIA.length + STREAM_SID.length + 2 + PLAY_PAYLOAD.length + PAYLOAD_END.length + 1;

    private final String streamSid;
    private final int streamSidUtf8Length;
    /** The stream sid as a JSON string literal, quotes included. */
    private final byte[] sid;
    private final Layout layout;
    private final int mediaFixedBytes;
    private byte[] audioScratch = EMPTY;
    private byte[] textScratch = EMPTY;

    public MediaStreamsWriter(String streamSid, Layout layout) {
        this.streamSid = streamSid;
        this.streamSidUtf8Length = streamSid.getBytes(StandardCharsets.UTF_8).length;
        this.sid = quoted(streamSid);
        this.layout = layout;
        this.mediaFixedBytes = EVENT_MEDIA.length + STREAM_SID.length + sid.length + SEQUENCE.length
                + MEDIA_CHUNK.length + MEDIA_TIMESTAMP.length + MEDIA_PAYLOAD.length + PAYLOAD_END.length + 2
                + 3 * JsonOut.MAX_LONG_CHARS;
    }

    public String streamSid() {
        return streamSid;
    }

    /** {@code connected}: the source's first message on every connection. */
    public static void connected(ByteBuf out) {
        out.writeBytes(CONNECTED);
    }

    /** {@code start}: the stream's identity and format, mono. */
    public void start(ByteBuf out, long sequence, Start start) {
        head(out, EVENT_START, layout.start(), sequence);
        out.writeBytes(START_SID).writeBytes(sid);
        out.writeBytes(CALL_SID).writeBytes(quoted(start.callSid()));
        if (start.callId() != null) {
            out.writeBytes(CALL_ID).writeBytes(quoted(start.callId()));
        }
        out.writeBytes(TRACKS);
        if (start.customParameters() != null) {
            out.writeBytes(CUSTOM);
            boolean first = true;
            for (Map.Entry<String, String> e : start.customParameters().entrySet()) {
                if (!first) {
                    out.writeByte(',');
                }
                first = false;
                out.writeBytes(quoted(e.getKey())).writeByte(':').writeBytes(quoted(e.getValue()));
            }
            out.writeByte('}');
        }
        out.writeBytes(FORMAT_ENCODING).writeBytes(quoted(start.encoding()));
        out.writeBytes(FORMAT_RATE);
        JsonOut.writeLong(out, start.sampleRateHz());
        out.writeBytes(FORMAT_END);
        tail(out, layout.start());
    }

    /** Most bytes {@link #media} writes for {@code audioBytes} of audio. */
    public int mediaLength(int audioBytes) {
        return mediaFixedBytes + Base64Writer.encodedLength(audioBytes);
    }

    /** Appends a {@code media} message carrying {@code audio[off, off + len)}; the counters are {@code >= 0}. */
    public void media(ByteBuf out, long sequence, long chunk, long timestampMs, byte[] audio, int off, int len) {
        out.ensureWritable(mediaLength(len));
        mediaHead(out, sequence, chunk, timestampMs);
        Base64Writer.write(out, audio, off, len);
        mediaTail(out);
    }

    /**
     * Appends a {@code media} message carrying {@code audio}'s readable bytes (not consumed, not
     * released). The audio is copied out in one bulk read and the base64 goes in with one bulk write,
     * whatever the buffers, rather than one buffer access per 3 bytes.
     */
    public void media(ByteBuf out, long sequence, long chunk, long timestampMs, ByteBuf audio) {
        final int len = audio.readableBytes();
        final int chars = Base64Writer.encodedLength(len);
        if (audioScratch.length < len) {
            audioScratch = new byte[len];
            textScratch = new byte[chars];
        }
        audio.getBytes(audio.readerIndex(), audioScratch, 0, len);
        Base64Writer.encode(audioScratch, 0, len, textScratch, 0);
        out.ensureWritable(mediaLength(len));
        mediaHead(out, sequence, chunk, timestampMs);
        out.writeBytes(textScratch, 0, chars);
        mediaTail(out);
    }

    /** Appends the {@code mark} a source sends back once the bot's audio before it has played. */
    public void mark(ByteBuf out, long sequence, String name) {
        head(out, EVENT_MARK, layout.mark(), sequence);
        out.writeBytes(MARK_NAME).writeBytes(quoted(name)).writeByte('}');
        tail(out, layout.mark());
    }

    /** Appends a {@code mark} (no sequence number) the peer answers once its playback reaches it. */
    public void playMark(ByteBuf out, String name) {
        mark(out, -1, name);
    }

    /** {@code stop} without a reason. */
    public void stop(ByteBuf out, long sequence, String callSid) {
        head(out, EVENT_STOP, layout.stop(), sequence);
        out.writeBytes(STOP_CALL_SID).writeBytes(quoted(callSid)).writeByte('}');
        tail(out, layout.stop());
    }

    /** {@code stop} with the reason the stream ended. */
    public void stop(ByteBuf out, long sequence, String callSid, String reason) {
        head(out, EVENT_STOP, layout.stop(), sequence);
        out.writeBytes(STOP_CALL_SID).writeBytes(quoted(callSid));
        out.writeBytes(REASON).writeBytes(quoted(reason)).writeByte('}');
        tail(out, layout.stop());
    }

    /** Bytes {@link #playMedia} writes for {@code audioBytes} of audio. */
    public int playMediaLength(int audioBytes) {
        return PLAY_FIXED_BYTES - 2 + sid.length + Base64Writer.encodedLength(audioBytes);
    }

    /** Appends audio for the peer to play: {@code media} with a payload only. */
    public void playMedia(ByteBuf out, byte[] audio, int off, int len) {
        out.ensureWritable(playMediaLength(len));
        head(out, EVENT_MEDIA, layout.media(), -1);
        out.writeBytes(PLAY_PAYLOAD);
        Base64Writer.write(out, audio, off, len);
        out.writeBytes(PAYLOAD_END);
        tail(out, layout.media());
    }

    /** Appends {@code clear}: the peer drops the audio it has buffered. */
    public void clear(ByteBuf out) {
        head(out, EVENT_CLEAR, SidAt.AFTER_EVENT, -1);
        out.writeByte('}');
    }

    /**
     * Most audio bytes one {@link #playMedia} message may carry so that it is at most
     * {@code maxMessageBytes} long, assuming every byte of the sid's UTF-8 needs a 6-byte escape (as
     * the relay has always split). A multiple of 3, so that split messages carry no padding
     * mid-stream. 0 if none fit.
     */
    public int maxPlayBytesPerMessage(int maxMessageBytes) {
        if (maxMessageBytes < 0) {
            throw new IllegalArgumentException("negative size: " + maxMessageBytes);
        }
        final long budget = maxMessageBytes - PLAY_FIXED_BYTES
                - (long) JsonOut.MAX_ESCAPED_BYTES_PER_BYTE * streamSidUtf8Length;
        return budget < 4 ? 0 : (int) (budget / 4 * 3);
    }

    private void mediaHead(ByteBuf out, long sequence, long chunk, long timestampMs) {
        if ((sequence | chunk | timestampMs) < 0) {
            throw new IllegalArgumentException("negative counter: " + sequence + ", " + chunk + ", " + timestampMs);
        }
        head(out, EVENT_MEDIA, layout.media(), sequence);
        out.writeBytes(MEDIA_CHUNK);
        JsonOut.writeLong(out, chunk);
        out.writeBytes(MEDIA_TIMESTAMP);
        JsonOut.writeLong(out, timestampMs);
        out.writeBytes(MEDIA_PAYLOAD);
    }

    private void mediaTail(ByteBuf out) {
        out.writeBytes(PAYLOAD_END);
        tail(out, layout.media());
    }

    /** {@code {"event":…}}, then the sequence number unless negative, with the sid where {@code at} puts it. */
    private void head(ByteBuf out, byte[] event, SidAt at, long sequence) {
        out.writeBytes(event);
        if (at == SidAt.AFTER_EVENT) {
            out.writeBytes(STREAM_SID).writeBytes(sid);
        }
        if (sequence >= 0) {
            out.writeBytes(SEQUENCE);
            JsonOut.writeLong(out, sequence);
            out.writeByte('"');
        }
        if (at == SidAt.AFTER_SEQUENCE) {
            out.writeBytes(STREAM_SID).writeBytes(sid);
        }
    }

    private void tail(ByteBuf out, SidAt at) {
        if (at == SidAt.LAST) {
            out.writeBytes(STREAM_SID).writeBytes(sid);
        }
        out.writeByte('}');
    }

    /** {@code s} as a JSON string literal (or {@code null}), exactly as {@link Json#MAPPER} writes it. */
    private static byte[] quoted(String s) {
        try {
            return Json.MAPPER.writeValueAsBytes(s);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
