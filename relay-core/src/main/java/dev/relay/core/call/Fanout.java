package dev.relay.core.call;

import dev.relay.core.event.CallEvent;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each frame of a call to each of its sinks, in route order, on the call's media thread.
 *
 * <p>A sink that throws is closed and skipped from then on: one broken sink never stops the call
 * or its other sinks.
 */
public final class Fanout {
    private static final Logger log = LoggerFactory.getLogger(Fanout.class);

    private final Sink[] sinks;
    private final boolean[] failed;
    private String callId = "";

    public Fanout(List<Sink> sinks) {
        this.sinks = sinks.toArray(new Sink[0]);
        this.failed = new boolean[this.sinks.length];
    }

    void open(CallContext call) {
        callId = call.callId();
        for (int i = 0; i < sinks.length; i++) {
            try {
                sinks[i].open(call);
            } catch (RuntimeException e) {
                fail(i, "open", e);
            }
        }
    }

    void onAudio(AudioSpan frame) {
        final Sink[] sinks = this.sinks;
        for (int i = 0; i < sinks.length; i++) {
            if (failed[i]) {
                continue;
            }
            try {
                sinks[i].onAudio(frame);
            } catch (RuntimeException e) {
                fail(i, "onAudio", e);
            }
        }
    }

    void onEvent(CallEvent event) {
        for (int i = 0; i < sinks.length; i++) {
            if (!failed[i]) {
                try {
                    sinks[i].onEvent(event);
                } catch (RuntimeException e) {
                    fail(i, "onEvent", e);
                }
            }
        }
    }

    void close(String reason) {
        for (int i = 0; i < sinks.length; i++) {
            if (!failed[i]) {
                failed[i] = true;
                try {
                    sinks[i].close(reason);
                } catch (RuntimeException e) {
                    log.warn("sink {} failed to close callId={}", sinks[i].name(), callId, e);
                }
            }
        }
    }

    /** The call's sinks, for stats. */
    public List<Sink> sinks() {
        return List.of(sinks);
    }

    private void fail(int i, String where, RuntimeException e) {
        failed[i] = true;
        log.error("sink {} failed in {} callId={}; it gets no more audio", sinks[i].name(), where, callId, e);
        try {
            sinks[i].close("sink failed: " + e);
        } catch (RuntimeException ignored) {
            // Already failing; the first error is the one logged.
        }
    }
}
