package dev.relay.core.sink.sessionstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Base64Writer;
import dev.relay.core.net.Json;
import dev.relay.core.net.JsonOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The Media Streams envelope as the session-stream upload socket takes it (Twilio / Vobiz
 * compatible text frames), for one session:
 *
 * <pre>
 * {"event":"start","sequenceNumber":"1","start":{"streamSid":S,"callSid":C,"tracks":["inbound"],
 *   "mediaFormat":{"encoding":E,"sampleRate":16000,"channels":1}},"streamSid":S}
 * {"event":"media","sequenceNumber":"2","media":{"track":"inbound","chunk":"1","timestamp":"0",
 *   "payload":"&lt;base64 PCM16 LE&gt;"},"streamSid":S}
 * {"event":"stop","sequenceNumber":"N","stop":{"callSid":C},"streamSid":S}
 * </pre>
 *
 * {@code streamSid} is the session id; {@code timestamp} is milliseconds of the call's timeline, so
 * audio dropped while the sink was stalled or down shows as a jump rather than as silently joined
 * audio. {@code start} and {@code stop} happen once per connection and are written with Jackson;
 * {@link #media} is the hot path and writes straight into one buffer: fixed parts from constants,
 * numbers digit by digit, and the base64 built in a reused array from one bulk copy of the audio,
 * so the buffers see two bulk accesses instead of one per 3 bytes. No Strings, no allocation
 * besides the message buffer once the arrays have grown to the chunk size.
 *
 * <p>One per session of one sink, used on the call's IO loop only (the arrays are reused).
 */
final class MediaEnvelope {
    /** The sample rate every chunk is in: the pipeline's 16 kHz. */
    static final int SAMPLE_RATE = 16_000;
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final byte[] MEDIA_SEQ = ascii("{\"event\":\"media\",\"sequenceNumber\":\"");
    private static final byte[] MEDIA_CHUNK = ascii("\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static final byte[] MEDIA_TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] MEDIA_SID = ascii("\"},\"streamSid\":");
    private static final byte[] MEDIA_END = ascii("}");
    private static final int MAX_DIGITS = 19;
    private static final int MEDIA_FIXED = MEDIA_SEQ.length + MEDIA_CHUNK.length + MEDIA_TIMESTAMP.length
            + MEDIA_PAYLOAD.length + MEDIA_SID.length + MEDIA_END.length + 3 * MAX_DIGITS;

    private final String streamSid;
    private final String callSid;
    private final String encoding;
    /** The stream sid as a JSON string literal, quotes included. */
    private final byte[] sidLiteral;
    private byte[] pcm = new byte[0];
    private byte[] base64 = new byte[0];

    MediaEnvelope(String streamSid, String callSid, String encoding) {
        this.streamSid = streamSid;
        this.callSid = callSid;
        this.encoding = encoding;
        try {
            this.sidLiteral = JSON.writeValueAsBytes(streamSid);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code start}, declaring PCM16 at 16 kHz mono. */
    ByteBuf start(ByteBufAllocator alloc, long sequenceNumber) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "start");
        root.put("sequenceNumber", Long.toString(sequenceNumber));
        ObjectNode start = root.putObject("start");
        start.put("streamSid", streamSid);
        start.put("callSid", callSid);
        start.putArray("tracks").add("inbound");
        ObjectNode format = start.putObject("mediaFormat");
        format.put("encoding", encoding);
        format.put("sampleRate", SAMPLE_RATE);
        format.put("channels", 1);
        root.put("streamSid", streamSid);
        return bytes(alloc, root);
    }

    /** {@code stop}: the server flushes what it buffered. */
    ByteBuf stop(ByteBufAllocator alloc, long sequenceNumber) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "stop");
        root.put("sequenceNumber", Long.toString(sequenceNumber));
        root.putObject("stop").put("callSid", callSid);
        root.put("streamSid", streamSid);
        return bytes(alloc, root);
    }

    /**
     * One {@code media} message carrying the readable bytes of {@code audio} (not consumed, not
     * released); the caller owns the returned buffer.
     */
    ByteBuf media(ByteBufAllocator alloc, long sequenceNumber, long chunk, long timestampMs, ByteBuf audio) {
        int len = audio.readableBytes();
        ByteBuf out = alloc.buffer(MEDIA_FIXED + sidLiteral.length + Base64Writer.encodedLength(len));
        out.writeBytes(MEDIA_SEQ);
        writeDigits(out, sequenceNumber);
        out.writeBytes(MEDIA_CHUNK);
        writeDigits(out, chunk);
        out.writeBytes(MEDIA_TIMESTAMP);
        writeDigits(out, timestampMs);
        out.writeBytes(MEDIA_PAYLOAD);
        if (pcm.length < len) {
            pcm = new byte[len];
            base64 = new byte[Base64Writer.encodedLength(len)];
        }
        audio.getBytes(audio.readerIndex(), pcm, 0, len);
        int chars = Base64Writer.encode(pcm, 0, len, base64, 0);
        out.writeBytes(base64, 0, chars);
        out.writeBytes(MEDIA_SID);
        out.writeBytes(sidLiteral);
        out.writeBytes(MEDIA_END);
        return out;
    }

    /** {@code v >= 0} in decimal. */
    static void writeDigits(ByteBuf out, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        JsonOut.writeLong(out, v);
    }

    private static ByteBuf bytes(ByteBufAllocator alloc, ObjectNode root) {
        try {
            byte[] b = JSON.writeValueAsBytes(root);
            return alloc.buffer(b.length).writeBytes(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
