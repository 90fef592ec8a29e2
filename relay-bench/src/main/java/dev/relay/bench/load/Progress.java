package dev.relay.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The live progress line (calls up, frames per second sent and received per sink, p50/p99 of
 * the last interval, schedule lag, relay CPU and memory), and the same figures as a row of
 * {@code samples.tsv} for plotting the run over time (heap and direct memory included: the soak
 * check). Main thread only.
 */
final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final RunPlan plan;
    private final List<SimCall> calls;
    private final List<SinkMeter> meters;
    private final LatencyMetric hiccups;
    private final RelayUnderTest relay;
    private final Writer tsv;
    private final Histogram scratch = new Histogram(1, LatencyMetric.MAX_NANOS, 3);
    private final long[] lastReceived;
    private long lastSent;
    private long lastNanos;
    private ProcStat lastProc;
    private long nextScrapeNanos;
    /** Like a Prometheus server's usual interval. */
    static final long SCRAPE_EVERY_NANOS = 15_000_000_000L;
    /** Per progress line: seconds since the epoch, calls up, relay RSS, heap used, JVM direct, Netty direct (bytes). */
    final List<double[]> memory = new ArrayList<>();

    Progress(PrintStream out, RunPlan plan, List<SimCall> calls, List<SinkMeter> meters, LatencyMetric hiccups,
            RelayUnderTest relay, Path samples) throws IOException {
        this.out = out;
        this.plan = plan;
        this.calls = calls;
        this.meters = meters;
        this.hiccups = hiccups;
        this.relay = relay;
        this.lastReceived = new long[meters.size()];
        this.lastNanos = System.nanoTime();
        this.lastProc = relay.proc();
        this.tsv = Files.newBufferedWriter(samples);
        StringBuilder h = new StringBuilder("t_s\tcalls_up\tsent_per_s");
        for (SinkMeter m : meters) {
            h.append('\t').append(m.name()).append("_per_s\t").append(m.name()).append("_p50_ms\t")
                    .append(m.name()).append("_p99_ms");
        }
        h.append(
                "\tlag_p99_ms\thiccup_p99_ms\trelay_cpu_pct\trelay_rss_mb\theap_used_mb\tdirect_mb\tnetty_direct_mb\n");
        tsv.write(h.toString());
    }

    /** Prints one line for the interval since the last; returns the relay's process reading. */
    ProcStat print(long now) {
        double dt = (now - lastNanos) / 1e9;
        lastNanos = now;
        int up = 0;
        long sent = 0;
        long[] received = new long[meters.size()];
        for (SimCall c : calls) {
            if (c.state == SimCall.State.STREAMING) {
                up++;
            }
            sent += c.framesSent;
            for (SinkMeter m : meters) {
                received[m.index()] += c.sinkFrames[m.index()];
            }
        }
        StringBuilder line = new StringBuilder();
        StringBuilder row = new StringBuilder();
        double t = (now - plan.epochNanos) / 1e9;
        line.append(String.format(Locale.ROOT, "[%6.1fs] up %d/%d | tx %s/s", t, up, calls.size(),
                count((sent - lastSent) / dt)));
        row.append(String.format(Locale.ROOT, "%.1f\t%d\t%.0f", t, up, (sent - lastSent) / dt));
        lastSent = sent;
        for (SinkMeter m : meters) {
            scratch.reset();
            scratch.add(m.latency().interval());
            scratch.add(m.warmup().interval());
            double rate = (received[m.index()] - lastReceived[m.index()]) / dt;
            lastReceived[m.index()] = received[m.index()];
            double p50 = ms(scratch, 50);
            double p99 = ms(scratch, 99);
            line.append(String.format(Locale.ROOT, " | %s %s/s p50 %s p99 %s ms", m.name(), count(rate), fmt(p50),
                    fmt(p99)));
            row.append(String.format(Locale.ROOT, "\t%.0f\t%.3f\t%.3f", rate, p50, p99));
        }
        double lag = ms(plan.lag.interval(), 99);
        double hiccup = ms(hiccups.interval(), 99);
        line.append(String.format(Locale.ROOT, " | lag p99 %s ms", fmt(lag)));
        ProcStat proc = relay.proc();
        double cpuPct = Double.NaN;
        if (proc != null && lastProc != null) {
            cpuPct = (proc.cpuNanos() - lastProc.cpuNanos()) / 1e9 / dt * 100;
            line.append(String.format(Locale.ROOT, " | %s cpu %.0f%% rss %d MB",
                    !relay.procIsRelayOnly() ? "process" : relay.describe().startsWith("floor") ? "floor" : "relay",
                    cpuPct, proc.rssBytes() >> 20));
        }
        lastProc = proc;
        // A scrape costs the relay a safepoint (the JVM metrics look for deadlocks): not every line.
        double heap = Double.NaN;
        double direct = Double.NaN;
        double netty = Double.NaN;
        if (now >= nextScrapeNanos) {
            nextScrapeNanos = now + SCRAPE_EVERY_NANOS;
            MetricsText m = MetricsText.parse(relay.scrape());
            heap = LoadRun.heapUsed(m);
            direct = LoadRun.direct(m);
            netty = m.sum("relay_netty_direct_memory_used_bytes");
        }
        if (!Double.isNaN(heap)) {
            line.append(String.format(Locale.ROOT, " heap %.0f MB", heap / (1 << 20)));
        }
        if (lag > RunResult.BEHIND_MS) {
            line.append("  << GENERATOR BEHIND");
        }
        out.println(line);
        memory.add(new double[] {t, up, proc == null ? Double.NaN : proc.rssBytes(), heap, direct, netty});
        row.append(String.format(Locale.ROOT, "\t%.3f\t%.3f\t%.1f\t%d\t%.1f\t%.1f\t%.1f%n", lag, hiccup, cpuPct,
                proc == null ? -1 : proc.rssBytes() >> 20, heap / (1 << 20), direct / (1 << 20), netty / (1 << 20)));
        try {
            tsv.write(row.toString());
            tsv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return proc;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "-";
        }
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    static String count(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    @Override
    public void close() throws IOException {
        tsv.close();
    }
}
