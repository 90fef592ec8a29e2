package dev.relay.core.call;

import io.netty.channel.EventLoop;

/**
 * Where a call's media pipeline runs, chosen once per relay by {@code relay.dsp.mode}:
 * {@link InlinePlacement} runs it on the call's own IO loop; the dedicated DSP threads (package
 * {@code dsp}) implement this interface too, so the call package never depends on them. The
 * relay's assembly picks one and hands it to the {@link CallFactory}.
 *
 * <p>Implementations are thread-safe: every IO loop places its calls through the same instance.
 */
public interface MediaPlacement {
    /**
     * Puts {@code pipeline} on its media thread and returns where the call's IO loop hands it
     * media, or null when there is no room for another call (the call is refused as overloaded).
     *
     * @param loop the IO loop of the call's socket, which is the calling thread
     * @param stats the call's counters (a placement that can drop media counts it here)
     */
    MediaIngress place(CallPipeline pipeline, EventLoop loop, CallStats stats);
}
