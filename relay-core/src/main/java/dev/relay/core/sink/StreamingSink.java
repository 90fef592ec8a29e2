package dev.relay.core.sink;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.event.CallEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The base of every network sink: a bounded drop-oldest queue, reconnects, {@code sink.down} /
 * {@code sink.up}, gap accounting and a bounded flush at call end ({@link LinkState} has the life
 * cycle); a subclass speaks one protocol through the hooks below.
 *
 * <p>Threads: {@link #onAudio} and {@link #close} run on the call's media thread and only append to
 * the chunk being built and hand full chunks to a lock-free queue. Everything else (every subclass
 * hook, every link report, the retry and flush timers, {@link #onEvent}) runs on the call's IO loop
 * ({@link CallContext#loop()}), where the subclass's channel lives, so neither this class nor a
 * subclass takes a lock. The counters have one writer each and are read from any thread. The one
 * exception: once the IO loop has terminated, the thread that stops the relay releases what the
 * sink still holds ({@link StreamingSinkGroup#awaitIdle}).
 */
public abstract class StreamingSink implements Sink {
    protected final StreamingSinkGroup group;
    protected final StreamConfig config;
    private final ChunkAssembler chunks;
    private final SinkBacklog backlog;
    private final LinkEvents linkEvents;
    private final LinkDriver link;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask;
    private CallContext call;
    private EventLoop loop;

    /** How a subclass's destination acknowledges audio, which decides what a lost connection costs. */
    protected enum Delivery {
        /** Nothing acknowledges audio: what was written when a connection died is not known. */
        UNCONFIRMED,
        /**
         * WebSocket pings ({@link #ping}) confirm what was written before them; what a lost
         * connection left unconfirmed is declared possibly lost ({@link #framesUnconfirmed}).
         */
        CONFIRMED,
        /**
         * Confirmed as above, and the wire places audio by timestamp: unconfirmed chunks are kept
         * and written again after the reconnect, so the destination may see some twice.
         */
        CONFIRMED_REPLAYED
    }

    /**
     * @param wire the format chunks are queued in
     * @param chunkMs audio per chunk: each send carries this much (less at call end)
     */
    protected StreamingSink(StreamingSinkGroup group, WireAudio wire, int chunkMs) {
        this(group, wire, chunkMs, Delivery.UNCONFIRMED);
    }

    /**
     * @param delivery whether the subclass answers {@link #ping} and {@link #abort} and reports
     *     {@link #ponged}; confirmation stays off when the sink's {@code confirm-interval} is 0
     */
    // The hooks and the finish callback hand `this` to the link, which calls them only from the
    // loop's later passes, never during construction (javac's this-escape on JDK 21+).
    @SuppressWarnings("this-escape")
    protected StreamingSink(StreamingSinkGroup group, WireAudio wire, int chunkMs, Delivery delivery) {
        this.group = group;
        this.config = group.config();
        this.chunks = new ChunkAssembler(wire, chunkMs, group.allocator());
        int capacityChunks = (int) Math.max(2, (config.queueDurationMs() + chunkMs - 1) / chunkMs);
        boolean confirms = delivery != Delivery.UNCONFIRMED && config.confirmIntervalMs() > 0;
        this.backlog = new SinkBacklog(capacityChunks, group.latency(),
                confirms && delivery == Delivery.CONFIRMED_REPLAYED);
        this.linkEvents = new LinkEvents(group.name());
        this.link = new LinkDriver(group, chunks, backlog, linkEvents, new Hooks(), confirms,
                () -> group.finished(this));
        this.drainTask = () -> {
            drainScheduled.set(false);
            link.drain();
        };
    }

    @Override
    public final String name() {
        return group.name();
    }

    @Override
    public final void open(CallContext call) {
        if (call.loop() == null) {
            throw new IllegalStateException(name() + " needs the call's IO loop");
        }
        this.call = call;
        this.loop = call.loop();
        group.opened(this);
        link.open(call);
        loop.execute(link::start);
    }

    @Override
    public final void onAudio(AudioSpan frame) {
        ByteBuf full = chunks.append(frame);
        if (full != null) {
            enqueue(full);
        }
    }

    @Override
    public final void onEvent(CallEvent event) {
        if (!link.callEnded()) {
            onCallEvent(event);
        }
    }

    @Override
    public final void close(String reason) {
        if (loop == null) {
            // open() never ran or threw (the Fanout still closes the sink): nothing to flush.
            return;
        }
        ByteBuf partial = chunks.takePartial();
        if (partial != null) {
            enqueue(partial);
        }
        loop.execute(() -> link.beginClose(reason));
    }

    @Override
    public final long framesDropped() {
        return backlog.framesDropped();
    }

    @Override
    public final long framesIn() {
        return chunks.framesIn();
    }

    @Override
    public final long bytesOut() {
        return backlog.bytesOut();
    }

    @Override
    public final int queueDepth() {
        return backlog.depth(chunks.framesIn());
    }

    @Override
    public final long reconnects() {
        return linkEvents.reconnects();
    }

    /**
     * Frames written on a connection that was lost before a pong confirmed them and not written
     * again: declared possibly lost, for {@code relay_sink_frames_unconfirmed_total}.
     */
    @Override
    public final long framesUnconfirmed() {
        return backlog.framesUnconfirmed();
    }

    /** Frames written again after a reconnect because the lost connection had not confirmed them. */
    public final long framesReplayed() {
        return backlog.framesReplayed();
    }

    /** Frames sent to the destination so far (each once, however often it was replayed). */
    public final long framesSent() {
        return backlog.framesSent();
    }

    /** Samples (16 kHz) of the call's timeline this sink skipped because their frames were dropped. */
    public final long gapSamples() {
        return backlog.gapSamples();
    }

    // ---- Subclass hooks, all on the IO loop. ----

    /** Starts one connection attempt; it must end in {@link #linkUp}, {@link #linkDown} or {@link #linkFailed}. */
    protected abstract void connect();

    /** True while the connection can take another chunk without growing Netty's outbound buffer. */
    protected abstract boolean writable();

    /**
     * Writes one chunk of audio (without flushing); the subclass owns {@code audio} from here.
     *
     * @param startSample16k where the chunk starts in the call's timeline (gaps show as jumps)
     * @param samples16k the chunk's length in 16 kHz samples, whatever its wire format
     */
    protected abstract void send(ByteBuf audio, long startSample16k, int samples16k);

    /** Flushes what {@link #send} wrote. */
    protected abstract void flush();

    /**
     * Ends the call for this destination once the queue is drained (or the flush timeout passed):
     * stop messages, closing the socket, finishing a session. Calls {@code done} exactly once, when
     * nothing is left in flight, and leaves no channel open.
     *
     * @param connected whether the link is up now
     */
    protected abstract void finish(boolean connected, String reason, Runnable done);

    /**
     * Writes and flushes a WebSocket ping whose payload is the 8 bytes of {@code mark}; the peer's
     * pong goes back through {@link #ponged}. Only called for a confirming {@link Delivery}.
     */
    protected void ping(long mark) {
        throw new UnsupportedOperationException(name() + " does not confirm delivery");
    }

    /**
     * Closes the current connection because {@code reason} (the peer stopped answering pings);
     * the subclass then reports {@link #linkDown} as for any lost connection.
     */
    protected void abort(String reason) {
        throw new UnsupportedOperationException(name() + " does not confirm delivery");
    }

    /** A call event for this sink (on the IO loop); ignored by default. */
    protected void onCallEvent(CallEvent event) {}

    // ---- For subclasses: link reports and helpers, on the IO loop. ----

    /**
     * The connection attempt succeeded; queued audio flows from now on. Ignored once the sink is
     * finishing: an attempt that was in flight when the call ended is the subclass's to close.
     */
    protected final void linkUp() {
        link.up();
    }

    /**
     * The connection failed or was lost; it is retried after a backoff. Ignored once the sink is
     * finishing: the subclass closing its own connection is not an outage.
     */
    protected final void linkDown(String reason) {
        link.down(reason);
    }

    /** The destination refused this call for good (credentials, say): no retries for this call. */
    protected final void linkFailed(String reason) {
        link.failed(reason);
    }

    /** The current connection read a pong carrying {@code mark} (8 bytes; other payloads are not ours). */
    protected final void ponged(long mark) {
        link.ponged(mark);
    }

    /** Call this when the channel became writable again. */
    protected final void writabilityChanged() {
        link.drain();
    }

    /** The call this instance serves. */
    protected final CallContext call() {
        return call;
    }

    protected final EventLoop loop() {
        return loop;
    }

    /** Publishes a call event with {@code sink} set to this sink's name first. */
    protected final void publish(String type, Map<String, Object> data) {
        LinkEvents.publish(call, name(), type, data);
    }

    /** An ordered, mutable event map from key/value pairs. */
    protected static Map<String, Object> fields(Object... keyValues) {
        return LinkEvents.fields(keyValues);
    }

    /** True once the call ended for this sink (flushing, finishing or closed). */
    protected final boolean closing() {
        return link.callEnded();
    }

    /** Queues a full chunk and makes sure the IO loop drains it. */
    private void enqueue(ByteBuf chunk) {
        backlog.offer(chunk);
        if (loop.inEventLoop()) {
            link.drain();
        } else if (!drainScheduled.getAndSet(true)) {
            loop.execute(drainTask);
        }
    }

    /** See {@link LinkDriver#abandonIfLoopGone}; called by {@link StreamingSinkGroup#awaitIdle}. */
    final void abandonIfLoopGone() {
        link.abandonIfLoopGone();
    }

    /** The subclass's hooks as the driver sees them. */
    private final class Hooks implements LinkDriver.Hooks {
        @Override
        public boolean writable() {
            return StreamingSink.this.writable();
        }

        @Override
        public void send(ByteBuf audio, long startSample16k, int samples16k) {
            StreamingSink.this.send(audio, startSample16k, samples16k);
        }

        @Override
        public void connect() {
            StreamingSink.this.connect();
        }

        @Override
        public void flush() {
            StreamingSink.this.flush();
        }

        @Override
        public void finish(boolean connected, String reason, Runnable done) {
            StreamingSink.this.finish(connected, reason, done);
        }

        @Override
        public void ping(long mark) {
            StreamingSink.this.ping(mark);
        }

        @Override
        public void abort(String reason) {
            StreamingSink.this.abort(reason);
        }
    }
}
