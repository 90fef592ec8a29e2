package dev.relay.core.call;

import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.CallContext;
import io.netty.channel.EventLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live phone call: identity, stats, the media path, and the way back to the caller.
 *
 * <p>Its socket's IO loop owns it. {@link #hangUp} may be called from any thread and hops onto
 * that loop. {@link #release} runs exactly once per call whatever ends it (peer close, error,
 * timeout, hang-up, shutdown, drain eviction), and releases the call's {@link CallClaim} in the
 * cluster.
 *
 * <p><b>Takeover.</b> With {@code relay.telephony.duplicate-call-id = resume} a new socket that
 * registers the call's id takes it over ({@link #takeOver}): the call keeps its sinks, claim,
 * stats and events and changes socket, and with it, possibly, IO loop. The hand-over is two tasks,
 * no lock: one on the old loop detaches the old socket (which is closed 1008 and forgets the call)
 * and moves the media path, then one on the new loop attaches the new socket; the new socket holds
 * what it receives meanwhile. Moving the call to the new socket's loop, rather than passing each
 * of the new socket's frames to the old loop, keeps the media path allocation-free and on one
 * thread at a time, as a call that never moved; the call's network sinks keep their channels on
 * the loop where the call started, as they do for calls whose media runs on DSP threads.
 */
public final class Call {
    private static final Logger log = LoggerFactory.getLogger(Call.class);

    /**
     * How the call's socket sends audio and control back to the caller (protocol specific). Called
     * on the socket's IO loop only.
     */
    public interface Control {
        /** Closes the socket with {@code code}; the socket's close then releases the call. */
        void close(int code, String reason);

        /** Plays μ-law 8 kHz audio into the call; split into messages within the size limit. */
        void sendAudio(byte[] ulaw, int offset, int length);

        /** Sends the greeting the provider plays when the call is answered. */
        void sendGreeting(byte[] ulaw, int offset, int length);

        /** Tells the provider to stop playing what it was sent. */
        void sendInterrupt();

        /** False when the wire format has no way back to the caller (raw PCM). Any thread. */
        default boolean canPlayAudio() {
            return true;
        }

        /**
         * A new socket took the call over: this socket forgets the call (its close must not end
         * it) and closes with 1008.
         */
        void replaced();
    }

    private final CallContext context;
    private final CallStats stats;
    private final MediaIngress ingress;
    private final Fanout fanout;
    private final CallLine line;
    private final CallRegistry registry;
    private final CallClaim claim;
    private final AtomicBoolean released = new AtomicBoolean();

    Call(CallContext context, CallStats stats, MediaIngress ingress, Fanout fanout, CallLine line,
            CallRegistry registry, CallClaim claim) {
        this.context = context;
        this.stats = stats;
        this.ingress = ingress;
        this.fanout = fanout;
        this.line = line;
        this.registry = registry;
        this.claim = claim;
    }

    public String callId() {
        return context.callId();
    }

    public CallContext context() {
        return context;
    }

    public CallStats stats() {
        return stats;
    }

    /** Where the IO loop hands media. IO loop only, and only before {@link #release}. */
    public MediaIngress ingress() {
        return ingress;
    }

    public Fanout fanout() {
        return fanout;
    }

    /** Closes the call's socket with {@code code} from any thread. */
    public void hangUp(int code, String reason) {
        line.onSocket(c -> c.close(code, reason));
    }

    /** False when the call's wire format cannot carry audio back (raw PCM): the API answers 409. */
    public boolean canPlayAudio() {
        return line.canPlay();
    }

    /** Plays μ-law 8 kHz mono audio into the call, from any thread; {@code ulaw} is not copied. */
    public void playAudio(byte[] ulaw) {
        line.play(ulaw);
    }

    /** Sends a greeting (μ-law 8 kHz mono), from any thread. */
    public void playGreeting(byte[] ulaw) {
        line.onSocket(c -> c.sendGreeting(ulaw, 0, ulaw.length));
    }

    /** Interrupts whatever the provider is playing, from any thread. */
    public void interrupt() {
        line.interrupt();
    }

    /** The IO loop of the call's socket now (it changes when a new socket takes the call over). */
    public EventLoop loop() {
        return line.loop();
    }

    /**
     * Moves the call to a new socket, {@code control} on {@code loop} (the calling thread). On the
     * call's loop, the old socket is {@linkplain Control#replaced replaced} and the media path
     * moved; then, on {@code loop}, the media path is told its stream restarts and {@code done}
     * runs with true; or with false, the call untouched, when it had ended first. After true the
     * call is the new socket's: its close releases the call (and must, if it closed meanwhile).
     */
    public void takeOver(EventLoop loop, Control control, Consumer<Boolean> done) {
        EventLoop from = line.loop();
        try {
            from.execute(() -> detach(loop, control, done));
        } catch (RejectedExecutionException e) {
            done.accept(false); // the old loop has stopped: the relay is shutting down
        }
    }

    /** The first half of {@link #takeOver}, on the loop of the call's socket. */
    private void detach(EventLoop to, Control control, Consumer<Boolean> done) {
        if (!line.loop().inEventLoop()) {
            takeOver(to, control, done); // another takeover moved the call first: follow it
            return;
        }
        if (released.get()) {
            to.execute(() -> done.accept(false));
            return;
        }
        line.control().replaced();
        try {
            ingress.moveTo(to);
            to.execute(ingress::resume);
            // Only now: a task that reads the new socket is queued behind the one that attaches it.
            line.moveTo(to, control);
            // And done only after the line moved: from then on the call is the new socket's.
            to.execute(() -> {
                registry.resumed();
                done.accept(true);
            });
        } catch (RejectedExecutionException e) {
            log.info("callId={} ended: its new socket's loop stopped during the takeover", callId());
            release("socket closed");
        }
    }

    /**
     * Hands {@code event} to the call's sinks (keywords for the STT sink, say), on the IO loop the
     * call started on, where its network sinks live; dropped once the call was released. Any
     * thread.
     */
    public void signalSinks(CallEvent event) {
        context.loop().execute(() -> {
            if (!released.get()) {
                fanout.onEvent(event);
            }
        });
    }

    /** True once the call was released. */
    public boolean released() {
        return released.get();
    }

    /**
     * Ends the call: leaves this node's registry and the cluster's, then the media path flushes and
     * closes the sinks on its own thread and {@code call.ended} is published with the final stats.
     * IO loop only.
     */
    public void release(String reason) {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        registry.remove(this);
        claim.release();
        EventBus events = context.events();
        ingress.close(reason, () -> {
            registry.finished(this);
            events.publish(CallEvent.of("call.ended", callId(), summary(reason)));
        });
    }

    private Map<String, Object> summary(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reason", reason);
        m.put("route", context.route());
        m.put("durationMs", System.currentTimeMillis() - context.startedAtMillis());
        m.put("packetsIn", stats.packetsIn());
        m.put("packetsRejected", stats.packetsRejected());
        m.put("reordered", stats.reordered());
        m.put("duplicates", stats.duplicates());
        m.put("late", stats.late());
        m.put("concealedFrames", stats.concealedFrames());
        m.put("framesOut", stats.framesOut());
        m.put("ringDropped", stats.ringDropped());
        return m;
    }
}
