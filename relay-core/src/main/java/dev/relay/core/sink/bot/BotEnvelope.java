package dev.relay.core.sink.bot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.relay.core.net.Base64Writer;
import dev.relay.core.net.Json;
import dev.relay.core.net.JsonOut;
import dev.relay.core.sink.CallContext;
import io.netty.buffer.ByteBuf;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Relay → bot messages of the Media Streams envelope, in the shape Twilio-style bots parse (and the
 * relay's own telephony side accepts, SPEC §4.2): {@code connected}, {@code start}, {@code media},
 * {@code mark} (echoes), {@code stop}. Counters travel as strings, as Twilio sends them.
 *
 * <pre>
 * {"event":"media","streamSid":"MZ…","sequenceNumber":"7","media":{"track":"inbound","chunk":"6",
 *  "timestamp":"120","payload":"&lt;base64&gt;"}}
 * </pre>
 *
 * <p>{@code media} is written straight into a {@link ByteBuf} from a prefix encoded once per call;
 * the rare control messages are built with Jackson. One instance per call; stateless after
 * construction, so any thread may use it.
 */
final class BotEnvelope {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** The first message on every connection. */
    static final byte[] CONNECTED = ascii("{\"event\":\"connected\",\"protocol\":\"Call\",\"version\":\"1.0.0\"}");

    private static final byte[] MEDIA_CHUNK = ascii("\",\"media\":{\"track\":\"inbound\",\"chunk\":\"");
    private static final byte[] MEDIA_TIMESTAMP = ascii("\",\"timestamp\":\"");
    private static final byte[] MEDIA_PAYLOAD = ascii("\",\"payload\":\"");
    private static final byte[] MEDIA_SUFFIX = ascii("\"}}");
    /** Digits of three longs, generously. */
    private static final int MAX_COUNTER_CHARS = 3 * 20;

    private final String streamSid;
    private final String callId;
    private final byte[] mediaPrefix;

    BotEnvelope(String streamSid, String callId) {
        this.streamSid = streamSid;
        this.callId = callId;
        this.mediaPrefix = ascii("{\"event\":\"media\",\"streamSid\":" + quote(streamSid) + ",\"sequenceNumber\":\"");
    }

    String streamSid() {
        return streamSid;
    }

    /**
     * {@code start}: the stream's identity and format. {@code reconnects} tells a bot that this
     * connection continues a call whose earlier connection was lost.
     */
    byte[] start(long sequence, CallContext call, BotConfig.Encoding encoding, long reconnects) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "start");
        root.put("sequenceNumber", Long.toString(sequence));
        ObjectNode start = root.putObject("start");
        start.put("streamSid", streamSid);
        start.put("callSid", callId);
        start.put("callId", callId);
        start.putArray("tracks").add("inbound");
        ObjectNode custom = start.putObject("customParameters");
        custom.put("callId", callId);
        custom.put("mobileNo", call.mobileNo());
        custom.put("route", call.route());
        custom.put("reconnects", Long.toString(reconnects));
        ObjectNode format = start.putObject("mediaFormat");
        format.put("encoding", encoding.mediaType());
        format.put("sampleRate", encoding.sampleRateHz());
        format.put("channels", 1);
        root.put("streamSid", streamSid);
        return bytes(root);
    }

    /** Bytes {@link #media} writes for {@code audioBytes} of audio, at most. */
    int mediaLength(int audioBytes) {
        return mediaPrefix.length + MEDIA_CHUNK.length + MEDIA_TIMESTAMP.length + MEDIA_PAYLOAD.length
                + MEDIA_SUFFIX.length + MAX_COUNTER_CHARS + Base64Writer.encodedLength(audioBytes);
    }

    /** Appends one {@code media} message carrying {@code audio[off, off + length)} as base64. */
    void media(ByteBuf out, long sequence, long chunk, long timestampMs, byte[] audio, int off, int length) {
        out.ensureWritable(mediaLength(length));
        out.writeBytes(mediaPrefix);
        writeDigits(out, sequence);
        out.writeBytes(MEDIA_CHUNK);
        writeDigits(out, chunk);
        out.writeBytes(MEDIA_TIMESTAMP);
        writeDigits(out, timestampMs);
        out.writeBytes(MEDIA_PAYLOAD);
        Base64Writer.write(out, audio, off, length);
        out.writeBytes(MEDIA_SUFFIX);
    }

    /** {@code mark} echo: the bot's mark, answered with the same name. */
    byte[] mark(long sequence, String name) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "mark");
        root.put("sequenceNumber", Long.toString(sequence));
        root.put("streamSid", streamSid);
        root.putObject("mark").put("name", name);
        return bytes(root);
    }

    /** {@code stop}: the call ended; the relay closes the socket after it. */
    byte[] stop(long sequence, String reason) {
        ObjectNode root = JSON.createObjectNode();
        root.put("event", "stop");
        root.put("sequenceNumber", Long.toString(sequence));
        root.put("streamSid", streamSid);
        ObjectNode stop = root.putObject("stop");
        stop.put("callSid", callId);
        stop.put("reason", reason);
        return bytes(root);
    }

    /** Writes {@code v >= 0} in decimal without allocating. */
    static void writeDigits(ByteBuf out, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        JsonOut.writeLong(out, v);
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
