package dev.relay.core.sink.sessionstream;

import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The session-stream sink's choices for the one {@link MediaStreamsWriter} (Twilio / Vobiz
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
 * {@code streamSid} is the session id, last in every message; {@code timestamp} is milliseconds of
 * the call's timeline, so audio dropped while the sink was stalled or down shows as a jump rather
 * than as silently joined audio. Each message is a new buffer from the channel's allocator, which
 * the caller owns.
 *
 * <p>One per session of one sink, used on the call's IO loop only (the writer reuses its arrays).
 */
final class SessionStreamMessages {
    /** The sample rate every chunk is in: the pipeline's 16 kHz. */
    static final int SAMPLE_RATE = 16_000;
    static final Layout LAYOUT = Layout.everywhere(SidAt.LAST);

    private final MediaStreamsWriter writer;
    private final String callSid;
    private final MediaStreamsWriter.Start start;

    SessionStreamMessages(String streamSid, String callSid, String encoding) {
        this.writer = new MediaStreamsWriter(streamSid, LAYOUT);
        this.callSid = callSid;
        this.start = new MediaStreamsWriter.Start(callSid, null, null, encoding, SAMPLE_RATE);
    }

    /** {@code start}, declaring PCM16 at 16 kHz mono. */
    ByteBuf start(ByteBufAllocator alloc, long sequenceNumber) {
        ByteBuf out = alloc.buffer();
        writer.start(out, sequenceNumber, start);
        return out;
    }

    /** {@code stop}: the server flushes what it buffered. */
    ByteBuf stop(ByteBufAllocator alloc, long sequenceNumber) {
        ByteBuf out = alloc.buffer();
        writer.stop(out, sequenceNumber, callSid);
        return out;
    }

    /**
     * One {@code media} message carrying the readable bytes of {@code audio} (not consumed, not
     * released); the caller owns the returned buffer.
     */
    ByteBuf media(ByteBufAllocator alloc, long sequenceNumber, long chunk, long timestampMs, ByteBuf audio) {
        ByteBuf out = alloc.buffer(writer.mediaLength(audio.readableBytes()));
        try {
            writer.media(out, sequenceNumber, chunk, timestampMs, audio);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
