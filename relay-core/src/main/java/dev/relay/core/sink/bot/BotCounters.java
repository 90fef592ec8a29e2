package dev.relay.core.sink.bot;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the bots of one media-stream sink sent back, summed over its calls: messages by kind, and
 * what became of their audio. Exported as {@code relay_bot_messages_total{sink,kind}},
 * {@code relay_bot_audio_bytes_total{sink,outcome}} and {@code relay_bot_marks_echoed_total{sink}}.
 * Thread-safe; incremented on IO loops, read at scrape time.
 */
final class BotCounters {
    /** Kinds of bot message, the {@code kind} label. */
    enum Kind {
        /** {@code media} with audio. */
        MEDIA,
        MARK,
        CLEAR,
        /**
         * Known envelope events with nothing to do on this side ({@code connected}, {@code start},
         * {@code stop}, {@code dtmf}).
         */
        IGNORED,
        /** Well-formed JSON with an unknown {@code event}. */
        UNKNOWN,
        /** Not usable: not JSON, bad base64, binary frames, a mark without a name, an empty payload. */
        INVALID;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** What happened to bot audio (μ-law 8 kHz bytes), the {@code outcome} label. */
    enum Outcome {
        /** Handed to the call. */
        PLAYED,
        /** Dropped by a {@code clear} (or the call's end) before it was handed over. */
        CLEARED,
        /** Dropped because the call cannot play audio (raw PCM telephony). */
        DROPPED;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    private final LongAdder[] messages = adders(Kind.values().length);
    private final LongAdder[] audioBytes = adders(Outcome.values().length);
    private final LongAdder marksEchoed = new LongAdder();

    void message(Kind kind) {
        messages[kind.ordinal()].increment();
    }

    void audio(Outcome outcome, long bytes) {
        if (bytes > 0) {
            audioBytes[outcome.ordinal()].add(bytes);
        }
    }

    void markEchoed() {
        marksEchoed.increment();
    }

    long messages(Kind kind) {
        return messages[kind.ordinal()].sum();
    }

    long audioBytes(Outcome outcome) {
        return audioBytes[outcome.ordinal()].sum();
    }

    long marksEchoed() {
        return marksEchoed.sum();
    }

    /** Adds this sink's series to {@code registry}. */
    void register(PrometheusRegistry registry, String sink) {
        CounterWithCallback.builder().name("relay_bot_messages_total")
                .help("Messages a bot stream sent back, by kind (invalid and unknown ones are ignored)")
                .labelNames("sink", "kind")
                .callback(cb -> {
                    for (Kind k : Kind.values()) {
                        cb.call(messages(k), sink, k.label);
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_bot_audio_bytes_total")
                .help("Bot audio as μ-law 8 kHz bytes, by outcome: played (handed to the call), cleared, dropped")
                .labelNames("sink", "outcome")
                .callback(cb -> {
                    for (Outcome o : Outcome.values()) {
                        cb.call(audioBytes(o), sink, o.label);
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_bot_marks_echoed_total")
                .help("Bot marks answered after the audio before them was handed to the call")
                .labelNames("sink")
                .callback(cb -> cb.call(marksEchoed(), sink))
                .register(registry);
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
