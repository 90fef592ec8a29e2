package dev.relay.core.metrics;

import dev.relay.core.sink.Sink;
import java.util.function.ToLongFunction;

/** The per-call counters of each {@link Sink} that {@code /metrics} sums by sink name. */
enum SinkCounter {
    /** {@code relay_frames_total{direction="out",sink}}. */
    FRAMES_OUT(Sink::framesIn),
    DROPPED(Sink::framesDropped),
    BYTES_OUT(Sink::bytesOut),
    RECONNECTS(Sink::reconnects),
    UNCONFIRMED(Sink::framesUnconfirmed);

    static final SinkCounter[] VALUES = values();

    final ToLongFunction<Sink> read;

    SinkCounter(ToLongFunction<Sink> read) {
        this.read = read;
    }
}
