package dev.relay.core.metrics;

import dev.relay.codec.rtp.RtpRejection;
import dev.relay.core.call.Call;
import dev.relay.core.call.CallRegistry;
import dev.relay.core.call.MediaGaps;
import dev.relay.core.call.RejectionCounters;
import dev.relay.core.ingress.TelephonyCounters;
import dev.relay.core.net.ReloadableTls;
import dev.relay.core.sink.SinkLatency;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The relay's Prometheus metrics, in a registry of its own (not the client's global default, so
 * several relays can live in one JVM, as in tests).
 *
 * <p>Everything is read at scrape time through callbacks: live call and sink counters via a
 * {@link CallRegistry.Listener} that folds each finished call into running totals (so counters
 * never go backwards when calls end), the process-wide rejection counters, JVM and Netty memory.
 * Nothing is done per frame. The one push-style hook is {@link #latency(String)}.
 *
 * <p>Construct before the first call registers: calls registered earlier are not counted.
 * Thread-safe.
 */
public final class RelayMetrics {
    /** {@code relay_latency_seconds{stage="first_frame"}}: first packet in → first frame to the sinks. */
    public static final String FIRST_FRAME = "first_frame";

    /** Latency buckets in seconds: 0.5 ms to 10 s. */
    static final double[] LATENCY_BUCKETS_S = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10
    };

    /**
     * Rejection reasons exported at 0 before they first happen, so rates and alerts on them work
     * from the start; other reasons appear when first counted.
     */
    static final List<String> SEEDED_TELEPHONY_REASONS = List.of(
            "auth_failed", "registration_timeout", "duplicate_call_id", "second_registration",
            "message_too_big", "max_connections", "invalid_json", "media_before_registration");

    /**
     * JvmMetrics' deadlock gauges: each one's callback is a JVM safepoint ({@code FindDeadlocks}) that
     * stops every IO loop, 0.2-7 ms under load, on every scrape. A scrape leaves them out before
     * their callbacks run.
     */
    static final Set<String> STOPS_THE_WORLD = Set.of("jvm_threads_deadlocked", "jvm_threads_deadlocked_monitor");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Histogram latency;
    private final DistributionDataPoint firstFrame;
    private final CallTotals totals;

    /**
     * @param calls the relay's call registry (a listener is added to it)
     * @param sinkNames configured sink names, exported at 0 before any call uses them
     */
    public RelayMetrics(CallRegistry calls, Collection<String> sinkNames) {
        this(calls, sinkNames, List.of());
    }

    /**
     * @param calls the relay's call registry (a listener is added to it)
     * @param sinkNames configured sink names, exported at 0 before any call uses them
     * @param sinkLatencies the network sinks' latency histograms
     */
    public RelayMetrics(CallRegistry calls, Collection<String> sinkNames, List<SinkLatency> sinkLatencies) {
        latency = Histogram.builder().name("relay_latency_seconds")
                .help("Latency of a relay stage in seconds; stage=first_frame is a call's first packet"
                        + " to its first frame at the sinks, observed when the call ends")
                .labelNames("stage")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS_S)
                .register(registry);
        firstFrame = latency.labelValues(FIRST_FRAME);
        totals = new CallTotals(sinkNames, this::callFinished);
        calls.addListener(totals);

        GaugeWithCallback.builder().name("relay_calls_active").help("Calls live now")
                .callback(cb -> cb.call(calls.active()))
                .register(registry);
        CounterWithCallback.builder().name("relay_calls_total").help("Calls registered since start")
                .callback(cb -> cb.call(calls.total()))
                .register(registry);
        CounterWithCallback.builder().name("relay_calls_resumed_total")
                .help("Live calls taken over by a new socket with their callId (duplicate-call-id = resume)")
                .callback(cb -> cb.call(calls.resumedTotal()))
                .register(registry);
        registry.register(new CallMetricsCollector(totals));
        if (!sinkLatencies.isEmpty()) {
            registry.register(new SinkLatencyCollector(sinkLatencies));
        }

        CounterWithCallback.builder().name("relay_telephony_rejected_total")
                .help("Telephony input refused or dropped, by reason (see the README's bad-input table)")
                .labelNames("reason")
                .callback(cb -> telephonyRejections().forEach((reason, n) -> cb.call(n, reason)))
                .register(registry);
        CounterWithCallback.builder().name("relay_rtp_rejected_total")
                .help("RTP packets that failed validation, by reason")
                .labelNames("reason")
                .callback(cb -> {
                    for (RtpRejection r : RtpRejection.values()) {
                        if (r != RtpRejection.NONE) {
                            cb.call(RejectionCounters.rtpRejected(r), r.label());
                        }
                    }
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_rtp_payload_type_dropped_total")
                .help("RTP packets of a payload type the relay does not handle")
                .callback(cb -> cb.call(RejectionCounters.payloadTypeDropped()))
                .register(registry);
        CounterWithCallback.builder().name("relay_tls_reloads_total")
                .help("Telephony certificate reloads, by outcome: reloaded, or failed (a bad pair; the old one kept)")
                .labelNames("outcome")
                .callback(cb -> {
                    cb.call(ReloadableTls.reloaded(), "reloaded");
                    cb.call(ReloadableTls.failed(), "failed");
                })
                .register(registry);
        CounterWithCallback.builder().name("relay_media_gaps_capped_total")
                .help("Gaps in a call's RTP timeline longer than relay.media.max-fill (filled to that length)")
                .callback(cb -> cb.call(MediaGaps.cappedGaps()))
                .register(registry);
        CounterWithCallback.builder().name("relay_media_gap_unfilled_seconds_total")
                .help("Seconds of those gaps beyond relay.media.max-fill, left out of the timeline")
                .callback(cb -> cb.call(MediaGaps.unfilledSeconds()))
                .register(registry);

        NettyMemoryMetrics.register(registry);
        JvmMetrics.builder().register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The {@code relay_latency_seconds} series for {@code stage}, for components that time a stage
     * of their own (e.g. a sink's send latency): keep the returned data point and call
     * {@code observe(seconds)} on it. Thread-safe and allocation-free per observation; still, observe
     * per event or per batch rather than per frame on the media path.
     */
    public DistributionDataPoint latency(String stage) {
        return latency.labelValues(stage);
    }

    /** Calls registered and not yet finished (released calls still flushing their sinks included). */
    public int callsInFlight() {
        return totals.inFlight();
    }

    /** The content type of {@link #scrapeText()}: {@code text/plain; version=0.0.4; charset=utf-8}. */
    public String contentType() {
        return writer.getContentType();
    }

    /**
     * Collects every metric but {@link #STOPS_THE_WORLD} and renders the Prometheus text format. Not
     * for an IO loop.
     */
    public byte[] scrapeText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            writer.write(out, registry.scrape(name -> !STOPS_THE_WORLD.contains(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void callFinished(Call call) {
        long nanos = call.stats().firstFrameLatencyNanos();
        if (nanos >= 0) {
            firstFrame.observe(nanos / 1e9);
        }
    }

    private static Map<String, Long> telephonyRejections() {
        Map<String, Long> out = new TreeMap<>();
        for (String reason : SEEDED_TELEPHONY_REASONS) {
            out.put(reason, 0L);
        }
        out.putAll(TelephonyCounters.snapshot());
        return out;
    }
}
