package dev.relay.core.call;

import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.CallAudio;
import dev.relay.core.sink.CallContext;
import io.netty.channel.EventLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live phone call: identity, stats, the media path, and the way back to the caller.
 *
 * <p>Its socket's IO loop owns it. {@link #hangUp} may be called from any thread and hops onto
 * that loop. {@link #release} runs exactly once per call whatever ends it (peer close, error,
 * timeout, hang-up, shutdown, drain eviction), and releases the call's {@link CallClaim} in the
 * cluster.
 */
public final class Call {
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
    }

    private final CallContext context;
    private final CallStats stats;
    private final MediaIngress ingress;
    private final Fanout fanout;
    private final EventLoop loop;
    private final Control control;
    private final CallRegistry registry;
    private final CallClaim claim;
    private final AtomicBoolean released = new AtomicBoolean();

    Call(CallContext context, CallStats stats, MediaIngress ingress, Fanout fanout, EventLoop loop,
            Control control, CallRegistry registry, CallClaim claim) {
        this.context = context;
        this.stats = stats;
        this.ingress = ingress;
        this.fanout = fanout;
        this.loop = loop;
        this.control = control;
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
        loop.execute(() -> control.close(code, reason));
    }

    /** False when the call's wire format cannot carry audio back (raw PCM): the API answers 409. */
    public boolean canPlayAudio() {
        return control.canPlayAudio();
    }

    /** Plays μ-law 8 kHz mono audio into the call, from any thread; {@code ulaw} is not copied. */
    public void playAudio(byte[] ulaw) {
        loop.execute(() -> control.sendAudio(ulaw, 0, ulaw.length));
    }

    /** Sends a greeting (μ-law 8 kHz mono), from any thread. */
    public void playGreeting(byte[] ulaw) {
        loop.execute(() -> control.sendGreeting(ulaw, 0, ulaw.length));
    }

    /** Interrupts whatever the provider is playing, from any thread. */
    public void interrupt() {
        loop.execute(control::sendInterrupt);
    }

    /**
     * Hands {@code event} to the call's sinks (keywords for the STT sink, say), on the call's IO
     * loop; dropped once the call was released. Any thread.
     */
    public void signalSinks(CallEvent event) {
        loop.execute(() -> {
            if (!released.get()) {
                fanout.onEvent(event);
            }
        });
    }

    /** The call's way back as sinks see it: each method hops onto {@code loop}. */
    static CallAudio audioOf(EventLoop loop, Control control) {
        return new CallAudio() {
            @Override
            public boolean canPlay() {
                return control.canPlayAudio();
            }

            @Override
            public void play(byte[] ulaw) {
                loop.execute(() -> control.sendAudio(ulaw, 0, ulaw.length));
            }

            @Override
            public void interrupt() {
                loop.execute(control::sendInterrupt);
            }
        };
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
