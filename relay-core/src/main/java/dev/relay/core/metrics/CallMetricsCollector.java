package dev.relay.core.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every call-derived family from one {@link CallTotals} reading per scrape, so the families agree
 * with each other and the in-flight calls are walked once, not once per family.
 */
final class CallMetricsCollector implements MultiCollector {
    private final CallTotals totals;

    CallMetricsCollector(CallTotals totals) {
        this.totals = totals;
    }

    @Override
    public MetricSnapshots collect() {
        CallTotals.Snapshot s = totals.snapshot();
        List<MetricSnapshot> out = new ArrayList<>();

        CounterSnapshot.Builder frames = CounterSnapshot.builder().name("relay_frames")
                .help("Media frames: direction=in counts packets received from telephony (sink label empty),"
                        + " direction=out counts frames accepted by each sink")
                .dataPoint(counter(s.get(CallCounter.PACKETS_IN), Labels.of("direction", "in", "sink", "")));
        for (Map.Entry<String, long[]> e : s.sinks().entrySet()) {
            frames.dataPoint(counter(e.getValue()[SinkCounter.FRAMES_OUT.ordinal()],
                    Labels.of("direction", "out", "sink", e.getKey())));
        }
        out.add(frames.build());
        out.add(perSink(s, SinkCounter.DROPPED, "relay_frames_dropped",
                "Frames a sink dropped (queue full, destination down or failed)"));
        out.add(perSink(s, SinkCounter.BYTES_OUT, "relay_sink_bytes", "Bytes a sink wrote to its destination"));
        out.add(perSink(s, SinkCounter.RECONNECTS, "relay_sink_reconnects",
                "Times a sink re-established its connection"));
        out.add(perSink(s, SinkCounter.UNCONFIRMED, "relay_sink_frames_unconfirmed",
                "Frames a sink wrote on a connection lost before the destination confirmed them (pong),"
                        + " not written again: possibly lost"));

        GaugeSnapshot.Builder depth = GaugeSnapshot.builder().name("relay_sink_queue_depth")
                .help("Frames waiting in sink queues, summed over live calls");
        s.queueDepth().forEach((sink, frames1) -> depth.dataPoint(
                GaugeDataPointSnapshot.builder().value(frames1).labels(Labels.of("sink", sink)).build()));
        out.add(depth.build());

        for (CallCounter c : CallCounter.VALUES) {
            if (c.family != null) {
                out.add(CounterSnapshot.builder().name(c.family).help(c.help)
                        .dataPoint(counter(s.get(c), Labels.EMPTY)).build());
            }
        }
        return new MetricSnapshots(out);
    }

    private static CounterSnapshot perSink(CallTotals.Snapshot s, SinkCounter counter, String family, String help) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(family).help(help);
        s.sinks().forEach((sink, counts) -> b.dataPoint(counter(counts[counter.ordinal()], Labels.of("sink", sink))));
        return b.build();
    }

    private static CounterDataPointSnapshot counter(long value, Labels labels) {
        return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
    }
}
