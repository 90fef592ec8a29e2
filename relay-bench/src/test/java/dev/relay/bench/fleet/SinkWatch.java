package dev.relay.bench.fleet;

import dev.relay.bench.fakes.FakeSession;
import dev.relay.bench.fakes.FakeSessionStream;
import io.netty.buffer.ByteBuf;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the fake session-stream sink received, per call: the relays tell it the call id in the
 * create body ({@code relay.sinks.session-stream.call-id-field}). The relay's timeline has no holes
 * (a gap would arrive as concealed silence), so the audio is matched to frames by position: the
 * sample ending frame {@code k} arrived when the sink read it, and that minus the frame's due time
 * at the caller is the frame's latency. A call with no gap received exactly 320 samples per frame
 * sent, none concealed (the relays' {@code call.ended} stats say that part).
 *
 * <p>{@link #onAudio} runs on the fake's event loops, one connection (one call) at a time; the
 * counters and histograms are thread-safe. Latency goes to the histogram of the phase the frame
 * was due in ({@link #phase}).
 */
final class SinkWatch implements FakeSessionStream.AudioListener {
    static final String CALL_ID_FIELD = "relay_call_id";
    private static final Pattern CALL_ID = Pattern.compile("\"" + CALL_ID_FIELD + "\"\\s*:\\s*\"([^\"]+)\"");

    private final Map<String, PacedCall> calls = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> samples = new ConcurrentHashMap<>();
    private final Map<String, String> sessionToCall = new ConcurrentHashMap<>();
    private final Map<String, Histogram> phases = new ConcurrentHashMap<>();
    private volatile String phase = "default";
    private volatile long phaseFromNanos = Long.MIN_VALUE;
    private volatile String previousPhase = "default";
    private final AtomicLong unknown = new AtomicLong();

    /** The calls whose audio this watch measures. */
    void watch(PacedCall call) {
        calls.put(call.callId, call);
    }

    /** Frames due from now on count toward {@code name}'s latency histogram. */
    synchronized void phase(String name) {
        previousPhase = phase;
        phaseFromNanos = System.nanoTime();
        phase = name;
    }

    /** Latency in nanoseconds of the frames due during phase {@code name}. */
    Histogram latency(String name) {
        return phases.computeIfAbsent(name, n -> new ConcurrentHistogram(3));
    }

    /** Samples (16 kHz) received for {@code callId} so far. */
    long samples(String callId) {
        AtomicLong n = samples.get(callId);
        return n == null ? 0 : n.get();
    }

    /** Audio for sessions that named no watched call. */
    long unknown() {
        return unknown.get();
    }

    @Override
    public void onAudio(FakeSession session, long offsetSamples, long timestampMs, ByteBuf pcm, long arrivalNanos) {
        String callId = sessionToCall.computeIfAbsent(session.id(), id -> callIdOf(session.createBody()));
        PacedCall call = callId.isEmpty() ? null : calls.get(callId);
        if (call == null) {
            unknown.incrementAndGet();
            return;
        }
        long before = samples.computeIfAbsent(callId, id -> new AtomicLong()).getAndAdd(pcm.readableBytes() >> 1);
        long after = before + (pcm.readableBytes() >> 1);
        // Every frame completed by this chunk records its latency.
        for (long k = before / PacedCall.SAMPLES_16K_PER_FRAME; k < after / PacedCall.SAMPLES_16K_PER_FRAME; k++) {
            long due = call.intendedNanos(k);
            if (due > 0 && arrivalNanos >= due) {
                latency(due >= phaseFromNanos ? phase : previousPhase).recordValue(arrivalNanos - due);
            }
        }
    }

    private static String callIdOf(String createBody) {
        Matcher m = CALL_ID.matcher(createBody == null ? "" : createBody);
        return m.find() ? m.group(1) : "";
    }
}
