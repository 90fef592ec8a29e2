package dev.relay.core.call;

import dev.relay.codec.rtp.RtpRejection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide counters of media the relay refused, by reason, for {@code /metrics}. Written from
 * every media thread, hence {@link LongAdder}.
 */
public final class RejectionCounters {
    private static final Map<RtpRejection, LongAdder> RTP = new EnumMap<>(RtpRejection.class);
    private static final LongAdder PAYLOAD_TYPE = new LongAdder();

    static {
        for (RtpRejection r : RtpRejection.values()) {
            RTP.put(r, new LongAdder());
        }
    }

    private RejectionCounters() {}

    static void rtp(RtpRejection reason) {
        RTP.get(reason).increment();
    }

    static void payloadType() {
        PAYLOAD_TYPE.increment();
    }

    /** RTP packets rejected for {@code reason} since start. */
    public static long rtpRejected(RtpRejection reason) {
        return RTP.get(reason).sum();
    }

    /** RTP packets of a payload type the relay does not handle. */
    public static long payloadTypeDropped() {
        return PAYLOAD_TYPE.sum();
    }
}
