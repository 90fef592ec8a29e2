package dev.relay.core.sink.bot;

import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import dev.relay.core.sink.CallContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bot sink's choices for the one {@link MediaStreamsWriter}: where bots have always found
 * {@code streamSid} ({@link #LAYOUT}), and what its {@code start} adds to Twilio's fields
 * ({@code callId}, and the call's identity in {@code customParameters}). Counters travel as
 * strings, as Twilio sends them.
 *
 * <pre>
 * {"event":"media","streamSid":"MZ…","sequenceNumber":"7","media":{"track":"inbound","chunk":"6",
 *  "timestamp":"120","payload":"&lt;base64&gt;"}}
 * </pre>
 *
 * <p>{@code media} goes straight into the caller's buffer; the rare control messages come back as
 * arrays, as {@link BotConnection} sends them. One per call; stateless after construction, so any
 * thread may use it.
 */
final class BotMessages {
    /** {@code start} with streamSid last; {@code media} right after the event; mark and stop after the sequence. */
    static final Layout LAYOUT = new Layout(SidAt.LAST, SidAt.AFTER_EVENT, SidAt.AFTER_SEQUENCE, SidAt.AFTER_SEQUENCE);

    private final MediaStreamsWriter writer;
    private final String callId;

    BotMessages(String streamSid, String callId) {
        this.writer = new MediaStreamsWriter(streamSid, LAYOUT);
        this.callId = callId;
    }

    String streamSid() {
        return writer.streamSid();
    }

    /** The first message on every connection. */
    static byte[] connected() {
        return bytes(MediaStreamsWriter::connected);
    }

    /**
     * {@code start}: the stream's identity and format. {@code reconnects} tells a bot that this
     * connection continues a call whose earlier connection was lost.
     */
    byte[] start(long sequence, CallContext call, BotConfig.Encoding encoding, long reconnects) {
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("callId", callId);
        custom.put("mobileNo", call.mobileNo());
        custom.put("route", call.route());
        custom.put("reconnects", Long.toString(reconnects));
        MediaStreamsWriter.Start start = new MediaStreamsWriter.Start(callId, callId, custom,
                encoding.mediaType(), encoding.sampleRateHz());
        return bytes(out -> writer.start(out, sequence, start));
    }

    /** Bytes {@link #media} writes for {@code audioBytes} of audio, at most. */
    int mediaLength(int audioBytes) {
        return writer.mediaLength(audioBytes);
    }

    /** Appends one {@code media} message carrying {@code audio[off, off + length)} as base64. */
    void media(ByteBuf out, long sequence, long chunk, long timestampMs, byte[] audio, int off, int length) {
        writer.media(out, sequence, chunk, timestampMs, audio, off, length);
    }

    /** {@code mark} echo: the bot's mark, answered with the same name. */
    byte[] mark(long sequence, String name) {
        return bytes(out -> writer.mark(out, sequence, name));
    }

    /** {@code stop}: the call ended; the relay closes the socket after it. */
    byte[] stop(long sequence, String reason) {
        return bytes(out -> writer.stop(out, sequence, callId, reason));
    }

    private static byte[] bytes(Consumer<ByteBuf> message) {
        ByteBuf out = Unpooled.buffer(256);
        try {
            message.accept(out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }
}
