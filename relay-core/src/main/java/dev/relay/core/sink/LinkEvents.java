package dev.relay.core.sink;

import dev.relay.core.event.CallEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code sink.down} / {@code sink.up} events of one sink instance: one {@code sink.down} when an
 * outage starts ({@code reason}, {@code retrying}), another only when it turns out to be for good,
 * and one {@code sink.up} when the link is back ({@code reconnects}, {@code downMs}, and the frames
 * dropped meanwhile). The first connection coming up counts as no reconnect.
 *
 * <p>Threads: the sink's IO loop only; {@link #reconnects} is readable from any thread.
 */
final class LinkEvents {
    private static final Logger log = LoggerFactory.getLogger(LinkEvents.class);

    private final String sink;
    private boolean everUp;
    /** Non-null while an outage is open (reported down, not yet back up). */
    private String downReason;
    private long downSinceNanos;
    private long droppedAtDown;
    private volatile long reconnects;

    LinkEvents(String sink) {
        this.sink = sink;
    }

    /**
     * The link went down, or was refused for good ({@code retrying} false).
     *
     * @param framesDropped the sink's dropped-frame total now, the base of the next {@code sink.up}
     */
    void down(CallContext call, String reason, boolean retrying, long framesDropped) {
        if (downReason == null) {
            downReason = reason;
            downSinceNanos = System.nanoTime();
            droppedAtDown = framesDropped;
            log.warn("sink {} down callId={}: {}{}", sink, call.callId(), reason, retrying ? "" : " (not retried)");
        } else if (retrying) {
            return;
        }
        Map<String, Object> data = fields("reason", reason);
        data.put("retrying", retrying);
        publish(call, sink, "sink.down", data);
    }

    /** The link is up. */
    void up(CallContext call, long framesDropped) {
        if (everUp) {
            reconnects++;
        }
        everUp = true;
        if (downReason != null) {
            Map<String, Object> data = fields("reconnects", reconnects);
            data.put("downMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSinceNanos));
            data.put("framesDropped", framesDropped - droppedAtDown);
            publish(call, sink, "sink.up", data);
            downReason = null;
        }
    }

    /** Times the link came back after it had been up before. */
    long reconnects() {
        return reconnects;
    }

    /** Publishes a call event of {@code call} with {@code sink} set first. */
    static void publish(CallContext call, String sink, String type, Map<String, Object> data) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("sink", sink);
        all.putAll(data);
        call.events().publish(CallEvent.of(type, call.callId(), all));
    }

    /** An ordered, mutable event map from key/value pairs. */
    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
