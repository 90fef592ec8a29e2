package dev.relay.core.control.calls;

import dev.relay.core.call.Call;
import dev.relay.core.call.CallStats;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a live call looks in the admin API: identity, age, every {@link CallStats} counter, and
 * per-sink counters keyed by sink name. Counters are read without locks while the call runs, so
 * they are each current but not a consistent snapshot.
 */
final class CallJson {
    private CallJson() {}

    static Map<String, Object> of(Call call, long nowMillis) {
        CallContext c = call.context();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("callId", c.callId());
        m.put("route", c.route());
        m.put("mobileNo", c.mobileNo());
        m.put("startedAt", c.startedAtMillis());
        m.put("durationMs", Math.max(0, nowMillis - c.startedAtMillis()));
        m.put("stats", stats(call.stats()));
        Map<String, Object> sinks = new LinkedHashMap<>();
        for (Sink sink : call.fanout().sinks()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("framesIn", sink.framesIn());
            s.put("framesDropped", sink.framesDropped());
            s.put("bytesOut", sink.bytesOut());
            sinks.put(sink.name(), s);
        }
        m.put("sinks", sinks);
        return m;
    }

    private static Map<String, Object> stats(CallStats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("packetsIn", s.packetsIn());
        m.put("packetsRejected", s.packetsRejected());
        m.put("payloadTypeDropped", s.payloadTypeDropped());
        m.put("ringDropped", s.ringDropped());
        m.put("reordered", s.reordered());
        m.put("duplicates", s.duplicates());
        m.put("late", s.late());
        m.put("concealedFrames", s.concealedFrames());
        m.put("concealedSamples8k", s.concealedSamples8k());
        m.put("jitterResets", s.jitterResets());
        m.put("framesOut", s.framesOut());
        m.put("samplesOut16k", s.samplesOut16k());
        m.put("dtmfEvents", s.dtmfEvents());
        m.put("firstFrameLatencyNanos", s.firstFrameLatencyNanos());
        m.put("outboundMessages", s.outboundMessages());
        m.put("outboundAudioBytes", s.outboundAudioBytes());
        m.put("outboundDroppedMessages", s.outboundDroppedMessages());
        return m;
    }
}
