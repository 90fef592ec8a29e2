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
import java.util.concurrent.TimeUnit;

/**
 * Samples the relay during a soak: RSS from {@code /proc}, heap used and, per sink, reconnects
 * and queue drops from its {@code /metrics}, into {@code soak-memory.csv}; prints one soak line
 * per progress interval (a minute by default); and sums the memory trend up at the end as the
 * slope of heap and RSS over the first and the last stretch of the run (10 min each when the run
 * is at least 30 min, else a third of it each). Main thread only.
 */
final class SoakMonitor implements AutoCloseable {
    private static final String[] SINKS = {"aiola", "session-stream", "recorder"};
    private final RelayUnderTest relay;
    private final FaultInjector faults;
    private final PrintStream out;
    private final long epochNanos;
    private final long sampleNanos;
    private final long lineNanos;
    private final Writer csv;
    /** Per sample: {seconds, RSS MB, heap MB}. */
    private final List<double[]> samples = new ArrayList<>();
    private final double[] reconnects = new double[SINKS.length];
    private final double[] dropped = new double[SINKS.length];
    private long nextSample;
    private long nextLine;

    SoakMonitor(SoakOptions soak, long progressMs, RelayUnderTest relay, FaultInjector faults, PrintStream out,
            long epochNanos, Path csvFile) throws IOException {
        this.relay = relay;
        this.faults = faults;
        this.out = out;
        this.epochNanos = epochNanos;
        // About 60 samples a run, between 1 s and 15 s apart (a scrape costs the relay a safepoint).
        this.sampleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, Math.min(15_000, soak.soakMs / 60)));
        this.lineNanos = TimeUnit.MILLISECONDS.toNanos(progressMs);
        this.nextSample = epochNanos;
        this.nextLine = epochNanos + lineNanos;
        this.csv = Files.newBufferedWriter(csvFile);
        StringBuilder h = new StringBuilder("t_s,relay_rss_mb,heap_used_mb");
        for (String s : SINKS) {
            h.append(',').append(s).append("_reconnects,").append(s).append("_dropped");
        }
        csv.write(h.append('\n').toString());
    }

    /** Samples and prints when due; call often (every loop of the run's main thread). */
    void tick(long now) {
        if (now >= nextSample) {
            nextSample += sampleNanos;
            sample(now);
        }
        if (now >= nextLine) {
            nextLine += lineNanos;
            double[] last = samples.isEmpty() ? new double[] {0, Double.NaN, Double.NaN} : samples.get(samples.size()
                    - 1);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%6.1fs] soak: rss %.0f MB heap %.0f MB"
                    + " | faults: %d aiOla kills, %d stalls |", (now - epochNanos) / 1e9, last[1], last[2],
                    faults == null ? 0 : faults.aiolaKills(), faults == null ? 0 : faults.stalls()));
            for (int i = 0; i < SINKS.length; i++) {
                if (!Double.isNaN(reconnects[i]) || !Double.isNaN(dropped[i])) {
                    line.append(String.format(Locale.ROOT, " %s reconnects %.0f overflow %.0f", SINKS[i],
                            reconnects[i], dropped[i]));
                }
            }
            out.println(line);
        }
    }

    private void sample(long now) {
        ProcStat p = relay.proc();
        MetricsText m = MetricsText.parse(relay.scrape());
        double t = (now - epochNanos) / 1e9;
        double rss = p == null ? Double.NaN : p.rssBytes() / 1048576.0;
        double heap = LoadRun.heapUsed(m) / 1048576.0;
        samples.add(new double[] {t, rss, heap});
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%.1f,%.1f,%.1f", t, rss, heap));
        for (int i = 0; i < SINKS.length; i++) {
            reconnects[i] = m.sum("relay_sink_reconnects_total", "sink", SINKS[i]);
            dropped[i] = m.sum("relay_frames_dropped_total", "sink", SINKS[i]);
            row.append(String.format(Locale.ROOT, ",%.0f,%.0f", reconnects[i], dropped[i]));
        }
        try {
            csv.write(row.append('\n').toString());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trend: heap and RSS slopes (MB per minute) over the first and the last stretch. */
    List<String> summary() {
        List<String> lines = new ArrayList<>();
        if (samples.size() < 4) {
            lines.add("memory: too few samples for a trend (" + samples.size() + ")");
            return lines;
        }
        double span = samples.get(samples.size() - 1)[0] - samples.get(0)[0];
        double stretch = span >= 1800 ? 600 : span / 3;
        double from = samples.get(0)[0];
        double to = samples.get(samples.size() - 1)[0];
        for (int col = 1; col <= 2; col++) {
            String what = col == 1 ? "RSS " : "heap";
            lines.add(String.format(Locale.ROOT, "memory %s: first %.0f s %s MB/min (%.0f → %.0f MB), last %.0f s %s"
                    + " MB/min (%.0f → %.0f MB)", what, stretch, slope(from, from + stretch, col),
                    at(from, col), at(from + stretch, col), stretch, slope(to - stretch, to, col),
                    at(to - stretch, col), at(to, col)));
        }
        lines.add("memory samples: " + samples.size() + " (soak-memory.csv)");
        return lines;
    }

    /** Least-squares slope of column {@code col} over samples in [{@code from}, {@code to}] seconds, per minute. */
    private String slope(double from, double to, int col) {
        double n = 0;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (double[] s : samples) {
            if (s[0] >= from && s[0] <= to && !Double.isNaN(s[col])) {
                n++;
                sx += s[0];
                sy += s[col];
                sxx += s[0] * s[0];
                sxy += s[0] * s[col];
            }
        }
        double d = n * sxx - sx * sx;
        if (n < 2 || d == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.2f", (n * sxy - sx * sy) / d * 60);
    }

    /** The sample nearest {@code t} seconds, column {@code col}. */
    private double at(double t, int col) {
        double[] best = samples.get(0);
        for (double[] s : samples) {
            if (Math.abs(s[0] - t) < Math.abs(best[0] - t)) {
                best = s;
            }
        }
        return best[col];
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
