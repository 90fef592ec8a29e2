package dev.relay.core.sink;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.event.CallEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part every network sink shares: a bounded drop-oldest {@link ChunkQueue} between the call's
 * media thread and the sink's connection, reconnects with {@link Backoff}, {@code sink.down} /
 * {@code sink.up} events, gap accounting, per-sink latency, and a bounded flush at call end.
 * Subclasses speak one protocol.
 *
 * <p>Threads: {@link #onAudio} and {@link #close} run on the media thread and only append to the
 * chunk being built and hand full chunks to the queue. Everything else, including every subclass
 * hook, runs on the call's IO loop ({@link CallContext#loop()}), where the subclass's channel lives;
 * so a subclass needs no locks.
 *
 * <p>The link: {@link #connect()} starts one attempt, which ends in {@link #linkUp()},
 * {@link #linkDown(String)} (retried after a backoff) or {@link #linkFailed(String)} (not retried:
 * refused credentials, say; the call's audio for this sink is then dropped and counted). While the
 * link is down the queue keeps the newest audio; on reconnect it is sent first, and the frames lost
 * meanwhile are reported in {@code sink.up}.
 */
public abstract class StreamingSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(StreamingSink.class);

    private enum Link {
        IDLE,
        CONNECTING,
        UP,
        WAITING,
        FAILED,
        CLOSED
    }

    protected final StreamingSinkGroup group;
    protected final StreamConfig config;
    private final ChunkAssembler chunks;
    private final ChunkQueue queue;
    private final Backoff backoff;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = () -> {
        drainScheduled.set(false);
        drain();
    };

    private CallContext call;
    private EventLoop loop;

    // Media thread. Pushed out of the full queue (drop-oldest); part of framesDropped().
    private volatile long framesOverflowed;

    // IO loop.
    private Link link = Link.IDLE;
    private int attempt;
    private boolean everUp;
    private boolean closing;
    private boolean finishing;
    private String closeReason = "";
    private String downReason;
    private long downSinceNanos;
    private long lostAtDown;
    private long expectedSample = -1;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> flushDeadline;
    /** Cleared from the queue when the link failed, the flush timed out or the relay stopped. */
    private volatile long framesDiscarded;
    private volatile long framesSent;
    private volatile long bytesOut;
    private volatile long reconnects;
    private volatile long gapSamples;

    /**
     * @param wire the format chunks are queued in
     * @param chunkMs audio per chunk: each send carries this much (less at call end)
     */
    protected StreamingSink(StreamingSinkGroup group, WireAudio wire, int chunkMs) {
        this.group = group;
        this.config = group.config();
        this.chunks = new ChunkAssembler(wire, chunkMs, group.allocator());
        int capacity = (int) Math.max(2, (config.queueDurationMs() + chunkMs - 1) / chunkMs);
        this.queue = new ChunkQueue(capacity);
        this.backoff = new Backoff(config.reconnectInitialMs(), config.reconnectMaxMs());
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
        loop.execute(() -> {
            if (link == Link.IDLE && !closing) {
                refillSpare();
                attemptConnect();
            }
        });
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
        if (link != Link.CLOSED && !closing) {
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
        loop.execute(() -> beginClose(reason));
    }

    @Override
    public final long framesDropped() {
        return framesOverflowed + framesDiscarded;
    }

    @Override
    public final long framesIn() {
        return chunks.framesIn();
    }

    @Override
    public final long bytesOut() {
        return bytesOut;
    }

    @Override
    public final int queueDepth() {
        long depth = chunks.framesIn() - framesSent - framesOverflowed - framesDiscarded;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, depth));
    }

    @Override
    public final long reconnects() {
        return reconnects;
    }

    /** Frames sent to the destination so far. */
    public final long framesSent() {
        return framesSent;
    }

    /** Samples (16 kHz) of the call's timeline this sink skipped because their frames were dropped. */
    public final long gapSamples() {
        return gapSamples;
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

    /** A call event for this sink (on the IO loop); ignored by default. */
    protected void onCallEvent(CallEvent event) {}

    // ---- For subclasses. ----

    /**
     * The connection attempt succeeded; queued audio flows from now on. Ignored once the sink is
     * finishing: an attempt that was in flight when the call ended is the subclass's to close.
     */
    protected final void linkUp() {
        if (link == Link.CLOSED || link == Link.FAILED || finishing) {
            return;
        }
        link = Link.UP;
        if (everUp) {
            reconnects++;
        }
        everUp = true;
        attempt = 0;
        if (downReason != null) {
            Map<String, Object> data = fields("reconnects", reconnects);
            data.put("downMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
            data.put("framesDropped", framesDropped() - lostAtDown);
            publish("sink.up", data);
            downReason = null;
        }
        drain();
    }

    /**
     * The connection failed or was lost; it is retried after a backoff. Once the sink is finishing
     * this only records that the link is gone: no {@code sink.down}, no retry (the subclass closing
     * its own connection is not an outage).
     */
    protected final void linkDown(String reason) {
        if (link == Link.CLOSED || link == Link.FAILED || link == Link.WAITING) {
            return;
        }
        if (finishing) {
            // The socket closing at the call's end is not an outage.
            link = Link.WAITING;
            return;
        }
        markDown(reason, false);
        link = Link.WAITING;
        if (closing && queue.size() == 0) {
            maybeFinish();
            return;
        }
        long delay = backoff.delayMs(attempt++);
        retry = loop.schedule(this::attemptConnect, delay, TimeUnit.MILLISECONDS);
    }

    /** The destination refused this call for good (credentials, say): no retries for this call. */
    protected final void linkFailed(String reason) {
        if (link == Link.CLOSED || link == Link.FAILED || finishing) {
            return;
        }
        markDown(reason, true);
        link = Link.FAILED;
        framesDiscarded += queue.clear();
        maybeFinish();
    }

    /** Call this when the channel became writable again. */
    protected final void writabilityChanged() {
        drain();
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
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("sink", name());
        all.putAll(data);
        call.events().publish(CallEvent.of(type, call.callId(), all));
    }

    /** An ordered, mutable event map from key/value pairs. */
    protected static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    /** True once the call ended for this sink (closing or closed). */
    protected final boolean closing() {
        return closing;
    }

    // ---- Internals. ----

    private void enqueue(ByteBuf chunk) {
        int dropped = queue.offer(chunk);
        if (dropped > 0) {
            framesOverflowed += dropped;
        }
        if (loop.inEventLoop()) {
            drain();
        } else if (!drainScheduled.getAndSet(true)) {
            loop.execute(drainTask);
        }
    }

    private void attemptConnect() {
        retry = null;
        if (link == Link.CLOSED || link == Link.FAILED || finishing) {
            return;
        }
        link = Link.CONNECTING;
        try {
            connect();
        } catch (RuntimeException e) {
            log.warn("sink {} callId={} connect threw", name(), call.callId(), e);
            linkDown("connect failed: " + e.getMessage());
        }
    }

    private void markDown(String reason, boolean fatal) {
        if (downReason == null) {
            downReason = reason;
            downSinceNanos = System.nanoTime();
            lostAtDown = framesDropped();
            log.warn("sink {} down callId={}: {}{}", name(), call.callId(), reason, fatal ? " (not retried)" : "");
            Map<String, Object> data = fields("reason", reason);
            data.put("retrying", !fatal);
            publish("sink.down", data);
        } else if (fatal) {
            Map<String, Object> data = fields("reason", reason);
            data.put("retrying", false);
            publish("sink.down", data);
        }
    }

    private void drain() {
        if (link == Link.FAILED || link == Link.CLOSED) {
            framesDiscarded += queue.clear();
            return;
        }
        refillSpare();
        if (link != Link.UP) {
            return;
        }
        int written = 0;
        while (writable()) {
            ByteBuf chunk = queue.poll();
            if (chunk == null) {
                break;
            }
            long start = ChunkHeader.startSample16k(chunk);
            int samples = ChunkHeader.samples16k(chunk);
            int frames = ChunkHeader.frames(chunk);
            long arrival = ChunkHeader.arrivalNanos(chunk);
            if (expectedSample >= 0 && start > expectedSample) {
                gapSamples += start - expectedSample;
            }
            expectedSample = start + samples;
            chunk.skipBytes(ChunkHeader.LENGTH);
            int bytes = chunk.readableBytes();
            send(chunk, start, samples);
            group.latency().record(System.nanoTime() - arrival);
            bytesOut += bytes;
            framesSent += frames;
            written++;
        }
        if (written > 0) {
            flush();
        }
        if (closing) {
            maybeFinish();
        }
    }

    private void beginClose(String reason) {
        if (closing) {
            return;
        }
        closing = true;
        closeReason = reason;
        if (config.flushTimeoutMs() > 0) {
            flushDeadline = loop.schedule(this::flushTimedOut, config.flushTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        drain();
        maybeFinish();
        if (!finishing && config.flushTimeoutMs() == 0) {
            flushTimedOut();
        }
    }

    private void maybeFinish() {
        if (!closing || finishing || link == Link.CLOSED) {
            return;
        }
        if (link != Link.FAILED && queue.size() > 0) {
            return;
        }
        startFinish();
    }

    private void flushTimedOut() {
        if (finishing || link == Link.CLOSED) {
            return;
        }
        int lost = queue.clear();
        if (lost > 0) {
            framesDiscarded += lost;
            log.warn("sink {} callId={}: {} frames not delivered within the flush timeout", name(), call.callId(),
                    lost);
        }
        startFinish();
    }

    private void startFinish() {
        finishing = true;
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        boolean connected = link == Link.UP;
        try {
            finish(connected, closeReason, this::complete);
        } catch (RuntimeException e) {
            log.error("sink {} callId={} failed to finish", name(), call.callId(), e);
            complete();
        }
    }

    private void complete() {
        if (!loop.inEventLoop()) {
            try {
                loop.execute(this::complete);
                return;
            } catch (RejectedExecutionException e) {
                // The loop is gone (relay shutdown) and nothing else will run on it: finish here,
                // or shutdown would wait for this sink until its deadline.
            }
        }
        if (link == Link.CLOSED) {
            return;
        }
        link = Link.CLOSED;
        if (flushDeadline != null) {
            flushDeadline.cancel(false);
        }
        framesDiscarded += queue.clear();
        chunks.releaseSpare();
        group.finished(this);
    }

    private void refillSpare() {
        if (!closing) {
            chunks.refillSpare();
        }
    }

    /**
     * Called by {@link StreamingSinkGroup#awaitIdle} from the shutdown thread: once the IO loop has
     * terminated nothing will ever run this sink's timers or callbacks again, so whatever it still
     * queues is released here and it counts as finished. Not once {@link #finish} has begun: the
     * subclass's finish may still be completing off the loop (an HTTP exchange, say) and calls
     * {@code done} itself, which works without the loop.
     */
    final void abandonIfLoopGone() {
        if (loop == null || !loop.isTerminated() || link == Link.CLOSED || finishing) {
            return;
        }
        link = Link.CLOSED;
        int lost = queue.clear();
        framesDiscarded += lost;
        chunks.releaseSpare();
        log.warn("sink {} callId={}: IO loop stopped before the sink finished; {} frames released", name(),
                call.callId(), lost);
        group.finished(this);
    }
}
