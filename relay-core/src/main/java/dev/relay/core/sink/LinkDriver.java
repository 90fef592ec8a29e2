package dev.relay.core.sink;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.net.PassFlush;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one {@link StreamingSink} instance through its {@link LinkState}: connect attempts and
 * retries with {@link Backoff}, draining the {@link SinkBacklog} while the link is up (flushed once
 * per loop pass, {@link PassFlush}), the bounded flush at call end, the subclass's finish, and the
 * release of what is left.
 *
 * <p>Threads: the call's IO loop only, except {@link #abandonIfLoopGone} (the thread that stops the
 * relay, once the loop has terminated) and the subclass's {@code done} callback, which may come from
 * any thread and hops onto the loop.
 */
final class LinkDriver {
    /** The subclass's side: what the driver asks of it, on the IO loop. */
    interface Hooks extends SinkBacklog.Writer {
        void connect();

        void flush();

        void finish(boolean connected, String reason, Runnable done);

        /** Writes and flushes a WebSocket ping carrying {@code mark}; only for a confirming sink. */
        void ping(long mark);

        /** Closes the connection for {@code reason}; the subclass reports it down as for any loss. */
        void abort(String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(LinkDriver.class);

    private final String sink;
    private final StreamConfig config;
    private final ChunkAssembler chunks;
    private final SinkBacklog backlog;
    private final LinkEvents events;
    private final Backoff backoff;
    private final Hooks hooks;
    private final Runnable finished;

    private CallContext call;
    private EventLoop loop;
    /** The audio's flush, once per loop pass (set with the loop). */
    private PassFlush passFlush;
    private LinkState state = LinkState.IDLE;
    private int attempt;
    private String closeReason = "";
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> flushDeadline;
    private final Confirmations confirmations;
    /** 0 when this sink does not confirm delivery. */
    private final long confirmIntervalMs;
    private final long pongTimeoutNanos;
    private ScheduledFuture<?> confirmTimer;

    /**
     * @param confirms the subclass answers {@link Hooks#ping} (pings stay off when
     *     {@code confirm-interval} is 0)
     * @param finished run once when the sink is done with the call (finished or abandoned)
     */
    LinkDriver(StreamingSinkGroup group, ChunkAssembler chunks, SinkBacklog backlog, LinkEvents events, Hooks hooks,
            boolean confirms, Runnable finished) {
        this.sink = group.name();
        this.config = group.config();
        this.chunks = chunks;
        this.backlog = backlog;
        this.events = events;
        this.backoff = new Backoff(config.reconnectInitialMs(), config.reconnectMaxMs());
        this.hooks = hooks;
        this.finished = finished;
        this.confirmations = backlog.confirmations();
        this.confirmIntervalMs = confirms ? config.confirmIntervalMs() : 0;
        this.pongTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.pongTimeoutMs());
    }

    /** Binds the call (media thread, before anything else); {@link #start} follows on the loop. */
    void open(CallContext call) {
        this.call = call;
        this.loop = call.loop();
        this.passFlush = new PassFlush(loop, hooks::flush);
    }

    /** The first attempt, unless the call already ended. */
    void start() {
        if (state == LinkState.IDLE) {
            refillSpare();
            attemptConnect();
        }
    }

    /** The call ended: the bounded flush begins. */
    void beginClose(String reason) {
        if (!move(LinkState.Event.CLOSE)) {
            return;
        }
        closeReason = reason;
        if (state == LinkState.FINISHING) {
            // The link had failed: nothing can be sent.
            backlog.discard();
            startFinish(false);
            return;
        }
        if (config.flushTimeoutMs() > 0) {
            flushDeadline = loop.schedule(this::flushTimedOut, config.flushTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        drain();
        maybeFinish();
        if (state.flushing() && config.flushTimeoutMs() == 0) {
            flushTimedOut();
        }
    }

    /** True once the call ended for this sink (flushing, finishing or closed). */
    boolean callEnded() {
        return state.callEnded();
    }

    // ---- Link reports from the subclass. ----

    void up() {
        if (!move(LinkState.Event.LINK_UP)) {
            return;
        }
        attempt = 0;
        events.up(call, backlog.framesDropped());
        drain();
    }

    void down(String reason) {
        if (!move(LinkState.Event.LINK_DOWN)) {
            return;
        }
        connectionLost();
        events.down(call, reason, true, backlog.framesDropped());
        if (state.flushing() && backlog.isEmpty()) {
            finishNow();
            return;
        }
        retry = loop.schedule(this::attemptConnect, backoff.delayMs(attempt++), TimeUnit.MILLISECONDS);
    }

    void failed(String reason) {
        if (!move(LinkState.Event.LINK_FAILED)) {
            return;
        }
        cancelRetry();
        connectionLost();
        events.down(call, reason, false, backlog.framesDropped());
        backlog.discard();
        if (state == LinkState.FINISHING) {
            startFinish(false);
        }
    }

    /** Sends what the link takes now; also the subclass's report that the channel became writable. */
    void drain() {
        if (state.discardsAudio()) {
            backlog.discard();
            return;
        }
        refillSpare();
        backlog.trim();
        if (!state.isUp()) {
            return;
        }
        if (backlog.drainTo(hooks) > 0) {
            // The call-end flush goes out now: its finish may close the channel in this pass.
            if (state.flushing()) {
                hooks.flush();
            } else {
                passFlush.request();
            }
            armConfirm();
        }
        if (state.flushing()) {
            maybeFinish();
        }
    }

    /** The subclass read a pong carrying {@code mark}. */
    void ponged(long mark) {
        if (confirmIntervalMs > 0 && state.isUp()) {
            confirmations.ponged(mark);
        }
    }

    // ---- Delivery confirmation. ----

    /** Starts the confirm timer when audio written on this connection waits for a pong. */
    private void armConfirm() {
        if (confirmIntervalMs > 0 && confirmTimer == null && confirmations.unconfirmed()) {
            confirmTimer = loop.schedule(this::confirmTick, confirmIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Once per confirm-interval while written audio is unconfirmed: a ping when none is out, the
     * connection closed when the one out has waited pong-timeout. Idle links schedule nothing.
     */
    private void confirmTick() {
        confirmTimer = null;
        if (!state.isUp()) {
            return;
        }
        long now = System.nanoTime();
        if (confirmations.pingOutstanding()) {
            if (confirmations.pingAgeNanos(now) >= pongTimeoutNanos) {
                String reason = "no pong within " + config.pongTimeoutMs() + " ms (the destination stopped reading)";
                log.warn("sink {} callId={}: {}; reconnecting", sink, call.callId(), reason);
                hooks.abort(reason);
                return;
            }
        } else if (confirmations.unconfirmed()) {
            hooks.ping(confirmations.pinged(now));
        }
        if (confirmations.pingOutstanding() || confirmations.unconfirmed()) {
            confirmTimer = loop.schedule(this::confirmTick, confirmIntervalMs, TimeUnit.MILLISECONDS);
        }
    }

    /** The connection is gone: what it left unconfirmed is replayed or declared. */
    private void connectionLost() {
        cancelConfirm();
        if (confirmIntervalMs == 0) {
            return;
        }
        int lost = confirmations.connectionLost();
        if (lost > 0) {
            log.warn("sink {} callId={}: {} frames written but unconfirmed when the connection was lost", sink,
                    call.callId(), lost);
        }
    }

    private void cancelConfirm() {
        if (confirmTimer != null) {
            confirmTimer.cancel(false);
            confirmTimer = null;
        }
    }

    // ---- Internals. ----

    /** Applies {@code event}: true when the state changed; an illegal event is logged and ignored. */
    private boolean move(LinkState.Event event) {
        LinkState next = state.next(event);
        if (next == null) {
            log.warn("sink {} callId={}: {} ignored in state {}", sink, call.callId(), event, state);
            return false;
        }
        if (next == state) {
            return false;
        }
        state = next;
        return true;
    }

    private void attemptConnect() {
        retry = null;
        if (!move(LinkState.Event.ATTEMPT)) {
            return;
        }
        try {
            hooks.connect();
        } catch (RuntimeException e) {
            log.warn("sink {} callId={} connect threw", sink, call.callId(), e);
            down("connect failed: " + e.getMessage());
        }
    }

    private void maybeFinish() {
        if (state.flushing() && backlog.isEmpty()) {
            finishNow();
        }
    }

    private void flushTimedOut() {
        if (!state.flushing()) {
            return;
        }
        int lost = backlog.discard();
        if (lost > 0) {
            log.warn("sink {} callId={}: {} frames not delivered within the flush timeout", sink, call.callId(), lost);
        }
        finishNow();
    }

    /** From a flushing state: the subclass's finish begins. */
    private void finishNow() {
        boolean connected = state.isUp();
        if (move(LinkState.Event.FINISH)) {
            startFinish(connected);
        }
    }

    /** In {@link LinkState#FINISHING}: hands the end of the call to the subclass. */
    private void startFinish(boolean connected) {
        cancelRetry();
        cancelConfirm();
        try {
            hooks.finish(connected, closeReason, this::complete);
        } catch (RuntimeException e) {
            log.error("sink {} callId={} failed to finish", sink, call.callId(), e);
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
        if (!move(LinkState.Event.DONE)) {
            return;
        }
        if (flushDeadline != null) {
            flushDeadline.cancel(false);
        }
        cancelConfirm();
        backlog.discard();
        chunks.releaseSpare();
        finished.run();
    }

    private void cancelRetry() {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
    }

    private void refillSpare() {
        if (!state.callEnded()) {
            chunks.refillSpare();
        }
    }

    /**
     * From the shutdown thread: once the IO loop has terminated nothing will ever run this sink's
     * timers or callbacks again, so whatever it still queues is released here and it counts as
     * finished (the media thread is done with the call by then: {@code RelayServer.stop} has stopped the
     * IO loops and the DSP threads). Not once the subclass's finish has begun: it may still be completing off the loop
     * (an HTTP exchange, say) and calls {@code done} itself, which works without the loop.
     */
    void abandonIfLoopGone() {
        if (loop == null || !loop.isTerminated() || !move(LinkState.Event.ABANDON)) {
            return;
        }
        // The chunk the media thread was building when the relay stopped it: the call never
        // closed this sink, so it was never queued. Queued now, it is counted and released below.
        ByteBuf partial = chunks.takePartial();
        if (partial != null) {
            backlog.offer(partial);
        }
        int lost = backlog.discard();
        chunks.releaseSpare();
        log.warn("sink {} callId={}: IO loop stopped before the sink finished; {} frames released", sink,
                call.callId(), lost);
        finished.run();
    }
}
