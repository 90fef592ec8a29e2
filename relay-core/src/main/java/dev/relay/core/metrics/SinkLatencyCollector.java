package dev.relay.core.metrics;

import dev.relay.core.sink.SinkLatency;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * {@code relay_sink_latency_seconds{sink}}: each network sink's HdrHistogram (telephony arrival to
 * socket write), turned into Prometheus classic buckets at scrape time, so the media path records
 * into one histogram only.
 */
final class SinkLatencyCollector implements MultiCollector {
    private final List<SinkLatency> sinks;

    SinkLatencyCollector(List<SinkLatency> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public MetricSnapshots collect() {
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name("relay_sink_latency_seconds")
                .help("Telephony arrival of a chunk's newest frame to its write into the sink's socket");
        double[] bounds = new double[RelayMetrics.LATENCY_BUCKETS_S.length + 1];
        System.arraycopy(RelayMetrics.LATENCY_BUCKETS_S, 0, bounds, 0, bounds.length - 1);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        for (SinkLatency sink : sinks) {
            Histogram h = sink.snapshot();
            long[] counts = new long[bounds.length];
            long below = 0;
            for (int i = 0; i < bounds.length - 1; i++) {
                long upToBound = h.getCountBetweenValues(0, (long) (bounds[i] * 1e6));
                counts[i] = upToBound - below;
                below = upToBound;
            }
            counts[bounds.length - 1] = h.getTotalCount() - below;
            family.dataPoint(HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(h.getMean() * h.getTotalCount() / 1e6)
                    .labels(Labels.of("sink", sink.sink()))
                    .build());
        }
        return MetricSnapshots.of(family.build());
    }
}
