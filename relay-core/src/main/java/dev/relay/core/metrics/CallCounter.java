package dev.relay.core.metrics;

import dev.relay.core.call.CallStats;
import java.util.function.ToLongFunction;

/**
 * The per-call counters of {@link CallStats} that {@code /metrics} sums over every call since
 * start, each with its metric family (without the {@code _total} the text format appends).
 */
enum CallCounter {
    /** Exported as {@code relay_frames_total{direction="in",sink=""}}, not a family of its own. */
    PACKETS_IN(null, "", CallStats::packetsIn),
    CONCEALED("relay_frames_concealed",
            "Frames of silence emitted for lost packets, gaps and comfort noise", CallStats::concealedFrames),
    REORDERED("relay_rtp_reordered", "RTP packets that arrived out of order and were reordered",
            CallStats::reordered),
    DUPLICATES("relay_rtp_duplicates", "Duplicate RTP packets dropped", CallStats::duplicates),
    LATE("relay_rtp_late", "RTP packets that arrived after their slot was concealed", CallStats::late),
    JITTER_RESETS("relay_jitter_resets", "Jitter buffer resets (stream restarts)", CallStats::jitterResets),
    INGRESS_DROPPED("relay_ingress_dropped",
            "Packets dropped because a call's media thread fell behind (ingress ring full)",
            CallStats::ringDropped),
    DTMF("relay_dtmf_events", "DTMF key presses detected", CallStats::dtmfEvents),
    OUTBOUND_MESSAGES("relay_outbound_messages",
            "Audio, greeting and interrupt messages written back to callers", CallStats::outboundMessages),
    OUTBOUND_AUDIO_BYTES("relay_outbound_audio_bytes",
            "Audio bytes (WAV headers included) written back to callers", CallStats::outboundAudioBytes),
    OUTBOUND_DROPPED("relay_outbound_dropped",
            "Outbound messages dropped because the caller stopped reading", CallStats::outboundDroppedMessages);

    static final CallCounter[] VALUES = values();

    final String family;
    final String help;
    final ToLongFunction<CallStats> read;

    CallCounter(String family, String help, ToLongFunction<CallStats> read) {
        this.family = family;
        this.help = help;
        this.read = read;
    }
}
