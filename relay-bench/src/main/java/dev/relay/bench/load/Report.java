package dev.relay.bench.load;

import dev.relay.bench.CpuModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * The end-of-run report: the text table (printed and saved as {@code report.txt}), one
 * {@code .hgrm} percentile distribution per histogram (HdrHistogram's text format, in ms), and
 * {@code latency.svg}, all in the run directory.
 */
final class Report {
    private Report() {}

    /** Writes every file of {@code r} and returns the text report. */
    static String write(RunResult r, LoadOptions o, String command) throws IOException {
        String text = text(r, o, command);
        Files.writeString(r.runDir.resolve("report.txt"), text);
        List<PercentilePlot.Series> series = new ArrayList<>();
        for (RunResult.SinkResult s : r.sinks) {
            hgrm(r.runDir.resolve(s.name + ".hgrm"), s.latency);
            hgrm(r.runDir.resolve(s.name + "-ramps.hgrm"), s.warmup);
            if (r.soak != null) {
                hgrm(r.runDir.resolve(s.name + "-faults.hgrm"), r.soak.faulted.get(s.name));
            }
            series.add(new PercentilePlot.Series(s.name, s.latency));
        }
        hgrm(r.runDir.resolve("registration.hgrm"), r.registration);
        hgrm(r.runDir.resolve("connect.hgrm"), r.connect);
        hgrm(r.runDir.resolve("schedule-lag.hgrm"), r.lag);
        hgrm(r.runDir.resolve("hiccup.hgrm"), r.hiccups);
        if (r.audioBack != null) {
            hgrm(r.runDir.resolve("audio-back.hgrm"), r.audioBack);
        }
        series.add(new PercentilePlot.Series("schedule lag", r.lag));
        series.add(new PercentilePlot.Series("generator hiccup", r.hiccups));
        if (r.gc != null && r.gc.pauses.getTotalCount() > 0) {
            hgrm(r.runDir.resolve("relay-pauses.hgrm"), r.gc.pauses);
            series.add(new PercentilePlot.Series("relay JVM pauses", r.gc.pauses));
        }
        String title = String.format(Locale.ROOT,
                "%s%d calls, %s, %s, tls %s — telephony send (intended) to sink arrival",
                r.subject.equals("floor") ? "floor, " : "", r.calls, seconds(r.durationMs),
                o.form.name().toLowerCase(Locale.ROOT), o.tls ? "on" : "off");
        Files.writeString(r.runDir.resolve("latency.svg"), PercentilePlot.svg(title, series));
        Files.writeString(r.runDir.resolve("summary.tsv"), summaryHeader() + "\n" + summaryRow(r, o) + "\n");
        return text;
    }

    static String text(RunResult r, LoadOptions o, String command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        p.println("command:  " + command);
        p.println("relay:    " + r.relay);
        p.printf(Locale.ROOT, "machine:  %s, %s; load average %.2f before the run%n", CpuModel.describe(),
                CpuModel.jdk(), r.loadAverageBefore);
        p.printf(Locale.ROOT,
                "calls:    %d (%d registered, %d failed), ramp %s up and down, %s streaming together, first %s "
                + "warm-up%n",
                r.calls, r.registered, r.failed, seconds(r.rampMs), seconds(r.durationMs), seconds(r.warmupMs));
        p.printf(Locale.ROOT,
                "frames:   %,d planned, %,d sent; generator dropped %,d, reordered %,d, blocked by backpressure %,d%n",
                r.framesPlanned, r.framesSent, r.framesDroppedOnPurpose, r.framesReordered, r.framesBlocked);
        if (r.botMessages > 0 || r.playsPosted > 0) {
            p.printf(Locale.ROOT,
                    "back:     %,d media messages (%,d bytes) from the relay to the callers; %,d plays posted, %,d "
                    + "failed%n",
                    r.botMessages, r.botBytes, r.playsPosted, r.playsFailed);
        }
        p.println();
        p.println("latency (ms)                 count      p50      p90      p99    p99.9   p99.99      max");
        for (RunResult.SinkResult s : r.sinks) {
            row(p, s.name, s.latency);
        }
        for (RunResult.SinkResult s : r.sinks) {
            row(p, s.name + " (ramps)", s.warmup);
        }
        row(p, "audio back (POST)", r.audioBack);
        row(p, "registration ack", r.registration);
        row(p, "connect (tcp+tls+ws)", r.connect);
        row(p, "  tcp connect", r.tcp);
        row(p, "  tls handshake", r.tls);
        row(p, "  ws upgrade", r.upgrade);
        row(p, "schedule lag", r.lag);
        row(p, "generator hiccup", r.hiccups);
        if (r.gc != null) {
            row(p, "relay JVM pauses", r.gc.pauses);
        }
        p.println();
        if (!r.sinks.isEmpty()) {
            p.println("sink             frames expected     received     lost  calls short  relay dropped   chunks   "
                    + "     bytes");
            for (RunResult.SinkResult s : r.sinks) {
                p.printf(Locale.ROOT, "%-16s %15s %12s %8s %12d %14s %8s %12s%s%n", s.name, n(s.framesExpected),
                        n(s.framesReceived), n(s.lost()), s.callsShort, nan(s.relayDropped), n(s.chunks), n(s.bytes),
                        s.misaligned + s.unknownCalls > 0
                                ? "  (" + s.misaligned + " misaligned, " + s.unknownCalls + " unmatched)" : "");
            }
            for (RunResult.SinkResult s : r.sinks) {
                if (s.slowAtEnd + s.slowElsewhere > 0) {
                    p.printf(Locale.ROOT,
                            "%s: %,d arrivals over 50 ms (ramps included): %,d of a call's last 200 ms, %,d mid-call%n",
                            s.name, s.slowAtEnd + s.slowElsewhere, s.slowAtEnd, s.slowElsewhere);
                }
            }
            p.println();
        }
        p.println(r.subject);
        if (!Double.isNaN(r.relayCpuSeconds)) {
            p.printf(Locale.ROOT,
                    "  cpu %.1f s over the measured window = %.0f%% of one core = %.0f µs per call-second streamed%s%n",
                    r.relayCpuSeconds, r.relayCpuShareOfOneCore * 100, r.relayCpuPerCallSecondMicros,
                    r.relayCpuIsWholeProcess ? " (whole process: relay + generator)" : "");
            if (r.relayCpuSeconds > 0 && !Double.isNaN(r.relayKernelCpuSeconds)) {
                p.printf(Locale.ROOT, "  of which kernel (system calls, loopback TCP) %.0f%%, user %.0f%%%n",
                        r.relayKernelCpuSeconds / r.relayCpuSeconds * 100,
                        (1 - r.relayKernelCpuSeconds / r.relayCpuSeconds) * 100);
            }
        }
        if (!r.relayThreads.isEmpty()) {
            long all = r.relayThreads.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder sb = new StringBuilder("  cpu by thread:");
            r.relayThreads.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(8)
                    .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.1f s (%.0f%%),", e.getKey(),
                            e.getValue() / 1e9, 100.0 * e.getValue() / Math.max(1, all))));
            sb.setLength(sb.length() - 1);
            p.println(sb);
        }
        if (r.relayRssPeak > 0) {
            p.printf(Locale.ROOT, "  rss %d MB at start, %d MB peak, %d MB at the end%n",
                    r.relayRssStart >> 20, r.relayRssPeak >> 20, r.relayRssEnd >> 20);
        }
        if (!Double.isNaN(r.heapBaseAfterGc)) {
            p.printf(Locale.ROOT, "  live heap after full GC: %.1f MB idle before, %s loaded, %s idle after%s%n",
                    r.heapBaseAfterGc / (1 << 20), mb(r.heapLoadedAfterGc), mb(r.heapIdleAfterGc),
                    Double.isNaN(r.heapLoadedAfterGc) ? "" : String.format(Locale.ROOT, " → %.1f KiB per call",
                            (r.heapLoadedAfterGc - r.heapBaseAfterGc) / 1024 / Math.max(1, r.callsAtHeapCheck)));
            p.printf(Locale.ROOT,
                    "  direct buffers (JVM pool): %s before, %s loaded, %s after; Netty direct loaded %s%n",
                    mb(r.directBase), mb(r.directLoaded), mb(r.directEnd), mb(r.nettyDirectLoaded));
        }
        if (r.gc != null) {
            p.printf(Locale.ROOT, "  measured window: %d collections, heap after GC %s MB first, %s MB last, %s MB max;"
                            + " %d pauses, %.1f ms in total, longest %.2f ms (%s)%n",
                    r.gc.collections, mbOrDash(r.gc.heapAfterFirstMb), mbOrDash(r.gc.heapAfterLastMb),
                    mbOrDash(r.gc.heapAfterMaxMb), r.gc.pauses.getTotalCount(), r.gc.pauseTotalNanos / 1e6,
                    r.gc.pauses.getMaxValue() / 1e6, r.gc.longestPause);
        }
        memory(p, r);
        if (!Double.isNaN(r.concealed)) {
            p.printf(Locale.ROOT, "  frames concealed %s, reordered %s, late %s, ingress dropped %s%n",
                    nan(r.concealed), nan(r.reordered), nan(r.late), nan(r.ingressDropped));
        }
        if (!r.relayExit.isEmpty()) {
            p.println("  " + r.relayExit);
        }
        if (!Double.isNaN(r.generatorCpuSeconds)) {
            p.printf(Locale.ROOT, "generator cpu %.1f s over the whole run", r.generatorCpuSeconds);
            if (!Double.isNaN(r.generatorWindowCpuSeconds) && r.framesInWindow > 0) {
                p.printf(Locale.ROOT, "; %.1f s in the measured window = %.1f µs per frame sent (fakes included%s)",
                        r.generatorWindowCpuSeconds, r.generatorWindowCpuSeconds * 1e6 / r.framesInWindow,
                        r.relayCpuIsWholeProcess ? ", and the in-process relay" : "");
            }
            p.println();
        }
        RigSection.print(p, r);
        p.println();
        warnings(r, o);
        for (String w : r.warnings) {
            p.println("WARNING: " + w);
        }
        for (String f : r.failures) {
            p.println("failed calls: " + f);
        }
        if (r.soak != null) {
            r.soak.print(p, r);
        }
        p.println((r.passed() ? "PASS" : "FAIL") + ": " + verdict(r));
        p.println("files: " + r.runDir);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Up to 12 evenly spaced samples of the relay's memory: the soak check (growth shows here). */
    private static void memory(PrintStream p, RunResult r) {
        List<double[]> m = r.memory;
        m = m.stream().filter(s -> !Double.isNaN(s[3])).toList();
        if (m.size() < 4) {
            return;
        }
        p.println("  memory over time (MB)   t s   calls      rss     heap   direct  netty direct");
        int rows = Math.min(12, m.size());
        for (int i = 0; i < rows; i++) {
            double[] s = m.get((int) Math.round(i * (m.size() - 1) / (double) (rows - 1)));
            p.printf(Locale.ROOT, "                      %7.0f %7.0f %8s %8s %8s %13s%n", s[0], s[1],
                    mbPlain(s[2]), mbPlain(s[3]), mbPlain(s[4]), mbPlain(s[5]));
        }
    }

    private static String mbPlain(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f", bytes / (1 << 20));
    }

    private static void warnings(RunResult r, LoadOptions o) {
        if (r.lag != null && r.lag.getTotalCount() > 0) {
            double p99 = r.lag.getValueAtPercentile(99) / 1e6;
            double max = r.lag.getMaxValue() / 1e6;
            if (r.generatorBehind()) {
                r.warnings.add(String.format(Locale.ROOT,
                        "THE GENERATOR FELL BEHIND ITS SCHEDULE: schedule lag p99 %.2f ms,"
                        + " max %.1f ms. Latencies include the generator's own delay; it was CPU-starved"
                        + " (fewer --loops, a quieter machine, or the relay on another host).", p99, max));
            } else if (p99 > 1) {
                r.warnings.add(String.format(Locale.ROOT,
                        "the generator ran late: schedule lag p99 %.2f ms (max %.1f ms)"
                        + " is part of every latency figure", p99, max));
            } else if (max > 20) {
                r.warnings.add(String.format(Locale.ROOT,
                        "the generator stalled at least once (schedule lag max %.1f ms)", max));
            }
        }
        if (r.hiccups != null && r.hiccups.getTotalCount() > 0 && r.hiccups.getValueAtPercentile(99) > 1_000_000) {
            r.warnings.add(String.format(Locale.ROOT,
                    "the generator's JVM or the machine hiccuped: 1 ms sleeps overshot by"
                    + " %.2f ms at p99 (CPU starvation shows in every figure)",
                    r.hiccups.getValueAtPercentile(99) / 1e6));
        }
        int cores = CpuModel.cpuCount();
        if (r.loadAverageBefore > cores * 0.5) {
            r.warnings.add(String.format(Locale.ROOT,
                    "the machine was busy before the run (load average %.2f on %d cores)",
                    r.loadAverageBefore, cores));
        }
        if (r.registered < r.calls) {
            r.warnings.add((r.calls - r.registered) + " calls never registered");
        }
    }

    private static String verdict(RunResult r) {
        List<String> bad = new ArrayList<>();
        if (r.failed > 0) {
            bad.add(r.failed + " calls failed");
        }
        if (r.soak != null) {
            bad.addAll(r.soak.failures(r));
        } else if (r.lostAtSinks() > 0) {
            bad.add(r.lostAtSinks() + " frames lost at the sinks");
        }
        if (r.framesBlocked > 0) {
            bad.add(r.framesBlocked + " frames blocked (relay not reading)");
        }
        if (r.relayConcealedExtra() > 0) {
            bad.add(String.format(Locale.ROOT, "%.0f frames concealed by the relay beyond the generator's drops",
                    r.relayConcealedExtra()));
        }
        if (!Double.isNaN(r.ingressDropped) && r.ingressDropped > 0) {
            bad.add(String.format(Locale.ROOT, "%.0f packets dropped at the relay's ingress ring", r.ingressDropped));
        }
        for (RunResult.SinkResult s : r.sinks) {
            if (r.soak == null && !Double.isNaN(s.relayDropped) && s.relayDropped > 0) {
                bad.add(String.format(Locale.ROOT, "%.0f frames dropped by the relay's %s queue", s.relayDropped,
                        s.name));
            }
            if (s.misaligned + s.unknownCalls > 0) {
                bad.add(s.name + ": " + s.misaligned + " misaligned arrivals, " + s.unknownCalls
                        + " from unknown calls");
            }
        }
        if (r.playsFailed > 0) {
            bad.add(r.playsFailed + " audio-back requests failed");
        }
        if (r.relayCrashed) {
            bad.add("the relay died");
        }
        return bad.isEmpty() ? (r.soak != null ? "no frame lost beyond what the relay declared (queue overflow,"
                + " unconfirmed), every call up and down cleanly" : "no frame lost, every call up and down cleanly")
                : String.join("; ", bad);
    }

    private static void row(PrintStream p, String name, Histogram h) {
        if (h == null || h.getTotalCount() == 0) {
            return;
        }
        p.printf(Locale.ROOT, "%-22s %12s %8s %8s %8s %8s %8s %8s%n", name, n(h.getTotalCount()),
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), ms(h, 99.99), fmt3(h.getMaxValue() / 1e6));
    }

    private static String ms(Histogram h, double percentile) {
        return fmt3(h.getValueAtPercentile(percentile) / 1e6);
    }

    private static String fmt3(double ms) {
        return ms < 100 ? String.format(Locale.ROOT, "%.3f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    private static String n(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    private static String nan(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.1f MB", bytes / (1 << 20));
    }

    private static String mbOrDash(long mb) {
        return mb < 0 ? "-" : Long.toString(mb);
    }

    static String seconds(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** HdrHistogram's percentile distribution text, values in milliseconds. */
    static void hgrm(Path file, Histogram h) throws IOException {
        if (h == null) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            if (h.getTotalCount() > 0) {
                h.outputPercentileDistribution(p, 5, 1e6);
            } else {
                p.println("#[no values recorded]");
            }
        }
        Files.write(file, bytes.toByteArray());
    }

    /**
     * The columns of {@code summary.tsv}, one row per run, read by scripts and by
     * {@code scripts/loadtest --budgets} by name ({@code passed} stays last).
     */
    static String summaryHeader() {
        return "calls\tregistered\tfailed\tframes_planned\tlost_at_sinks\tblocked\tworst_p99_ms\tlag_p99_ms"
                + "\trelay_cpu_us_per_call_s\tsubject\ttransport\ttls\tsinks\tkernel_share\tworst_p50_ms"
                + "\tworst_p999_ms\tlongest_pause_ms\tcomparable\tgen_alloc_bytes_per_frame\tpinned\tpassed";
    }

    static String summaryRow(RunResult r, LoadOptions o) {
        return String.format(Locale.ROOT,
                "%d\t%d\t%d\t%d\t%d\t%d\t%.3f\t%.3f\t%.1f\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%.1f\t%s\t%s",
                r.calls, r.registered, r.failed,
                r.framesPlanned, r.lostAtSinks(), r.framesBlocked, r.worstP99Ms(),
                r.lag == null || r.lag.getTotalCount() == 0 ? Double.NaN : r.lag.getValueAtPercentile(99) / 1e6,
                r.relayCpuPerCallSecondMicros, r.subject, r.relayTransport.isEmpty() ? "-" : r.relayTransport,
                o.tls ? "on" : "off", o.sinks.isEmpty() ? "none" : String.join(",", o.sinks),
                r.relayCpuSeconds > 0 ? r.relayKernelCpuSeconds / r.relayCpuSeconds : Double.NaN,
                r.worstPercentileMs(50), r.worstPercentileMs(99.9),
                r.gc == null || r.gc.pauses.getTotalCount() == 0 ? Double.NaN : r.gc.pauses.getMaxValue() / 1e6,
                r.comparable(), r.generatorAllocPerFrame(), r.pinning == null ? "no" : r.pinning.relayCpus() + "/"
                        + r.pinning.generatorCpus(), r.passed());
    }
}
