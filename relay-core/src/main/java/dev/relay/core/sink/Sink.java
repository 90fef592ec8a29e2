package dev.relay.core.sink;

import dev.relay.core.event.CallEvent;

/**
 * A destination for one call's audio. One instance per call and sink name; a sink never sees
 * another sink.
 *
 * <p>Threading: every method but {@link #onEvent} is called on the call's media thread (a DSP
 * loop, or the socket's IO loop in inline mode), one at a time. None may block: a sink that talks
 * to a socket or a disk hands frames to its own bounded queue and drops its oldest frames when
 * that queue is full.
 */
public interface Sink {
    /** The sink's configured name, used as the {@code sink} metrics label. */
    String name();

    /** Called once before any audio. */
    void open(CallContext call);

    /**
     * One frame of the call's timeline, in order, without gaps (lost audio arrives as concealed
     * silence). The frame is only valid during the call.
     */
    void onAudio(AudioSpan frame);

    /**
     * A call event the sink may act on (keywords); most ignore it. Unlike the audio methods this is
     * called on the call's IO loop ({@link CallContext#loop()}), which in dedicated DSP mode is not
     * the media thread: a sink that acts on events keeps that state on the IO loop.
     */
    default void onEvent(CallEvent event) {}

    /** Called exactly once; the sink flushes what it can without blocking and frees its resources. */
    void close(String reason);

    /**
     * Frames this sink has dropped, whatever the cause: pushed out of its full queue (overflowed),
     * cleared from the queue when it gave up, timed out flushing or stopped (discarded), or not
     * written (lost). For per-call stats and {@code relay_frames_dropped_total}.
     */
    long framesDropped();

    /**
     * Frames this sink wrote on a connection that was lost before the destination confirmed them,
     * and did not write again: declared possibly lost (not part of {@link #framesDropped}), for
     * {@code relay_sink_frames_unconfirmed_total}. 0 for sinks that do not confirm delivery.
     */
    default long framesUnconfirmed() {
        return 0;
    }

    /** Frames this sink has accepted. */
    long framesIn();

    /** Bytes this sink has written to its destination. */
    long bytesOut();

    /**
     * Frames waiting in this sink's own queue right now, for {@code relay_sink_queue_depth}; read
     * from the metrics thread, so a plain volatile read. 0 for sinks without a queue.
     */
    default int queueDepth() {
        return 0;
    }

    /** Times this sink re-established its connection, for {@code relay_sink_reconnects_total}. */
    default long reconnects() {
        return 0;
    }
}
