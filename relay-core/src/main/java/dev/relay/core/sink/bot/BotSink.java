package dev.relay.core.sink.bot;

import dev.relay.core.sink.StreamingSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code media-stream}: one call's bidirectional bot stream (SPEC §5.3). The caller's audio goes to
 * the bot as Media Streams {@code media} messages (μ-law 8 kHz or L16 16 kHz, {@code chunk-ms}
 * each, timestamps on the call's timeline so dropped audio shows as a jump); the bot's audio comes
 * back through {@link BotPlayout} into the call, {@code clear} interrupts, {@code mark}s are echoed.
 *
 * <p>Per connection: {@code connected}, then {@code start}, then media; {@code stop} and a close
 * frame at the call's end. A reconnect (after the base class's backoff) sends {@code connected} and
 * {@code start} again with the same {@code streamSid}, sequence numbers and chunks restarting at 1,
 * and {@code customParameters.reconnects} counting the earlier connections.
 *
 * <p>Bad bot input is counted ({@code relay_bot_messages_total{kind="invalid"|"unknown"}}), logged
 * with the call id (the first per connection at WARN, the rest at DEBUG) and otherwise ignored: the
 * connection stays up, since one odd message from a bot says nothing about the next.
 *
 * <p>Every method runs on the call's IO loop (see {@link StreamingSink}).
 */
public final class BotSink extends StreamingSink {
    private static final Logger log = LoggerFactory.getLogger(BotSink.class);

    private final BotSinkFactory factory;
    private final BotConfig config;
    private final BotCounters counters;
    private final BotReader reader;
    private final Inbound inbound = new Inbound();
    private BotMessages envelope;
    private BotPlayout playout;
    private BotConnection current;
    private Runnable finished;
    private long sequence;
    private long chunk;
    private long connections;
    private boolean complainedThisConnection;

    BotSink(BotSinkFactory factory) {
        super(factory.group(), factory.config().encoding().wire(), factory.config().chunkMs());
        this.factory = factory;
        this.config = factory.config();
        this.counters = factory.counters();
        this.reader = new BotReader(config.maxMessageBytes());
    }

    // ---- StreamingSink hooks. ----

    @Override
    protected void connect() {
        if (envelope == null) {
            envelope = new BotMessages(newStreamSid(), call().callId());
            playout = new BotPlayout(call().audio(), loop(), counters, config.encoding(), config.playLingerMs(),
                    this::cannotPlay);
        }
        BotConnection c = new BotConnection(this, factory, loop());
        current = c;
        c.start();
    }

    @Override
    protected boolean writable() {
        BotConnection c = current;
        return c != null && c.up() && c.channel().isWritable();
    }

    /**
     * The chunk is copied once into this IO thread's scratch (L16 swapped to big-endian there), then
     * base64-encoded straight into the backing array of a heap frame buffer: two passes over the
     * audio, no per-sample buffer calls, no allocation but the frame itself.
     */
    @Override
    protected void send(ByteBuf audio, long startSample16k, int samples16k) {
        Channel ch = current.channel();
        ByteBuf out = null;
        try {
            int length = audio.readableBytes();
            byte[] bytes = SendScratch.get(length);
            audio.getBytes(audio.readerIndex(), bytes, 0, length);
            if (config.encoding() == BotConfig.Encoding.L16) {
                swapPairs(bytes, length);
            }
            out = ch.alloc().heapBuffer(envelope.mediaLength(length));
            envelope.media(out, ++sequence, ++chunk, startSample16k / 16, bytes, 0, length);
            ch.write(new TextWebSocketFrame(out), ch.voidPromise());
            out = null;
        } finally {
            audio.release();
            if (out != null) {
                out.release();
            }
        }
    }

    @Override
    protected void flush() {
        current.channel().flush();
    }

    @Override
    protected void finish(boolean connected, String reason, Runnable done) {
        if (playout != null) {
            playout.close();
        }
        BotConnection c = current;
        if (c == null) {
            done.run();
            return;
        }
        finished = done;
        c.finish(c.up() ? envelope.stop(++sequence, reason) : null);
    }

    // ---- From the connection. ----

    void connectionUp(BotConnection c) {
        if (c != current) {
            return;
        }
        sequence = 0;
        chunk = 0;
        complainedThisConnection = false;
        Channel ch = c.channel();
        ch.write(text(BotMessages.connected()));
        ch.writeAndFlush(text(envelope.start(++sequence, call(), config.encoding(), connections++)));
        log.debug("media-stream up callId={} streamSid={}", call().callId(), envelope.streamSid());
        linkUp();
    }

    void connectionEnded(BotConnection c, String reason, boolean fatal) {
        if (c != current) {
            return;
        }
        current = null;
        if (finished != null) {
            Runnable done = finished;
            finished = null;
            done.run();
            return;
        }
        if (playout != null) {
            playout.connectionEnded();
        }
        if (fatal) {
            linkFailed(reason);
        } else {
            linkDown(reason);
        }
    }

    void text(BotConnection c, ByteBuf content) {
        if (c == current && finished == null && !closing()) {
            inbound.connection = c;
            reader.read(content, inbound);
        }
    }

    void binary(BotConnection c) {
        if (c == current) {
            inbound.invalid("binary_frame", null);
        }
    }

    /** A frame the WebSocket layer refused (over max-message-bytes, broken framing); the link drops. */
    void unreadable(BotConnection c, String reason) {
        if (c == current) {
            counters.message(BotCounters.Kind.INVALID);
            log.warn("media-stream callId={}: unreadable bot frame, reconnecting: {}", call().callId(), reason);
        }
    }

    void readComplete(BotConnection c) {
        if (c == current && playout != null) {
            playout.readComplete();
        }
    }

    void writableChanged(BotConnection c) {
        if (c == current) {
            writabilityChanged();
        }
    }

    // ---- Internals. ----

    private void cannotPlay(int bytes) {
        log.warn("media-stream callId={}: the call cannot play audio (raw PCM stream); bot audio is dropped",
                call().callId());
        publish("bot.audio.dropped", fields("reason", "call cannot play audio", "bytes", bytes));
    }

    private void echoMark(BotConnection c, String name) {
        if (c != current || !c.up() || finished != null) {
            return;
        }
        // Counted before the write, so that anyone who has seen the echo also sees the count.
        counters.markEchoed();
        c.channel().writeAndFlush(text(envelope.mark(++sequence, name)));
    }

    private void complain(String kind, String reason, ByteBuf content) {
        if (!complainedThisConnection) {
            complainedThisConnection = true;
            log.warn("media-stream callId={}: ignoring {} bot message ({}): {}", call().callId(), kind, reason,
                    excerpt(content));
        } else if (log.isDebugEnabled()) {
            log.debug("media-stream callId={}: ignoring {} bot message ({}): {}", call().callId(), kind, reason,
                    excerpt(content));
        }
    }

    /** PCM16 chunks are queued little-endian; L16 on the wire is big-endian. */
    private static void swapPairs(byte[] b, int length) {
        for (int i = 0, end = length & ~1; i < end; i += 2) {
            byte t = b[i];
            b[i] = b[i + 1];
            b[i + 1] = t;
        }
    }

    /** One IO thread's copy of the chunk being sent; shared by its calls, as a send runs to the end. */
    private static final class SendScratch {
        private static final FastThreadLocal<byte[][]> CURRENT =
                new FastThreadLocal<>() {
                    @Override
                    protected byte[][] initialValue() {
                        return new byte[][] {new byte[4096]};
                    }
                };

        static byte[] get(int length) {
            byte[][] holder = CURRENT.get();
            if (holder[0].length < length) {
                holder[0] = new byte[Math.max(length, holder[0].length * 2)];
            }
            return holder[0];
        }
    }

    private static TextWebSocketFrame text(byte[] json) {
        return new TextWebSocketFrame(Unpooled.wrappedBuffer(json));
    }

    private static String excerpt(ByteBuf content) {
        if (content == null) {
            return "<binary>";
        }
        int n = Math.min(content.readableBytes(), 120);
        String s = content.toString(content.readerIndex(), n, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            b.append(ch < 0x20 || ch == 0x7F ? '?' : ch);
        }
        return n < content.readableBytes() ? b + "…" : b.toString();
    }

    private static String newStreamSid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("MZ%016x%016x", r.nextLong(), r.nextLong());
    }

    /** Bot messages of the current connection. */
    private final class Inbound implements BotReader.Listener {
        BotConnection connection;

        @Override
        public void media(byte[] payload, int off, int len) {
            counters.message(BotCounters.Kind.MEDIA);
            playout.media(payload, off, len);
        }

        @Override
        public void mark(String name) {
            counters.message(BotCounters.Kind.MARK);
            BotConnection c = connection;
            playout.mark(() -> echoMark(c, name));
        }

        @Override
        public void clear() {
            counters.message(BotCounters.Kind.CLEAR);
            playout.clear();
        }

        @Override
        public void ignored(String event) {
            counters.message(BotCounters.Kind.IGNORED);
        }

        @Override
        public void unknown(ByteBuf content) {
            counters.message(BotCounters.Kind.UNKNOWN);
            complain("unknown", "unknown event", content);
        }

        @Override
        public void invalid(String reason, ByteBuf content) {
            counters.message(BotCounters.Kind.INVALID);
            complain("invalid", reason, content);
        }
    }
}
