package dev.relay.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * {@code --compare-floor}'s verdict: the floor's and the relay's figures from the same generator,
 * fakes and options, side by side, with relay ÷ floor for CPU per call-second (total and its
 * kernel part) and for each sink's latency percentiles. A side whose generator fell behind its
 * schedule is marked NOT COMPARABLE, and so is the ratio. {@code compare.tsv} holds the same in
 * one row for scripts ({@code scripts/loadtest --budgets}). Stateless.
 */
final class FloorComparison {
    private static final double[] PERCENTILES = {50, 99, 99.9};

    private FloorComparison() {}

    static String text(RunResult floor, RunResult relay, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("compare:  ").append(command).append('\n');
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s %12s%n", "", "floor", "relay", "relay/floor"));
        row(sb, "cpu µs per call-second", floor.relayCpuPerCallSecondMicros, relay.relayCpuPerCallSecondMicros,
                "%,.0f");
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s %12s%n", "  of which kernel µs (share)",
                kernel(floor), kernel(relay), ratio(kernelMicros(relay), kernelMicros(floor))));
        row(sb, "cpu share of its core(s) %", floor.relayShareOfItsCores() * 100, relay.relayShareOfItsCores() * 100,
                "%.0f");
        for (RunResult.SinkResult fs : floor.sinks) {
            RunResult.SinkResult rs = sink(relay, fs.name);
            for (double p : PERCENTILES) {
                row(sb, fs.name + " p" + trim(p) + " ms", ms(fs.latency, p), rs == null ? Double.NaN
                        : ms(rs.latency, p), "%.3f");
            }
        }
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s%n", "frames lost at the sinks",
                String.format(Locale.ROOT, "%,d", floor.lostAtSinks()),
                String.format(Locale.ROOT, "%,d", relay.lostAtSinks())));
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s%n", "calls up",
                floor.registered + "/" + floor.calls, relay.registered + "/" + relay.calls));
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s%n", "generator", schedule(floor), schedule(relay)));
        List<String> behind = new ArrayList<>();
        if (!floor.comparable()) {
            behind.add("floor");
        }
        if (!relay.comparable()) {
            behind.add("relay");
        }
        if (behind.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "relay / floor, cpu per call-second: %s (comparable: the generator"
                    + " kept its schedule in both runs)%n", ratio(relay.relayCpuPerCallSecondMicros,
                    floor.relayCpuPerCallSecondMicros)));
        } else {
            sb.append(String.format(Locale.ROOT, "relay / floor, cpu per call-second: %s — NOT COMPARABLE: the"
                    + " generator fell behind its schedule in the %s%n", ratio(relay.relayCpuPerCallSecondMicros,
                    floor.relayCpuPerCallSecondMicros),
                    String.join(" and ", behind) + (behind.size() > 1 ? " runs" : " run")));
        }
        return sb.toString();
    }

    /** The header of {@code compare.tsv}. */
    static String tsvHeader() {
        return "calls\ttls\tsinks\ttransport\tpinned\tfloor_cpu_us_per_call_s\trelay_cpu_us_per_call_s\tcpu_ratio"
                + "\tfloor_kernel_us_per_call_s\trelay_kernel_us_per_call_s\tkernel_ratio\tfloor_worst_p99_ms"
                + "\trelay_worst_p99_ms\tp99_ratio\trelay_worst_p999_ms\trelay_lost\tfloor_lost"
                + "\trelay_longest_pause_ms\tcomparable";
    }

    /** The one row of {@code compare.tsv}. */
    static String tsvRow(RunResult floor, RunResult relay, LoadOptions o) {
        return String.format(Locale.ROOT,
                "%d\t%s\t%s\t%s\t%s\t%.1f\t%.1f\t%.3f\t%.1f\t%.1f\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%d\t%d\t%.3f\t%s",
                relay.calls, o.tls ? "on" : "off", o.sinks.isEmpty() ? "none" : String.join(",", o.sinks),
                relay.relayTransport.isEmpty() ? "-" : relay.relayTransport,
                relay.pinning == null ? "no" : relay.pinning.relayCpus() + "/" + relay.pinning.generatorCpus(),
                floor.relayCpuPerCallSecondMicros, relay.relayCpuPerCallSecondMicros,
                relay.relayCpuPerCallSecondMicros / floor.relayCpuPerCallSecondMicros,
                kernelMicros(floor), kernelMicros(relay), kernelMicros(relay) / kernelMicros(floor),
                floor.worstP99Ms(), relay.worstP99Ms(), relay.worstP99Ms() / floor.worstP99Ms(),
                relay.worstPercentileMs(99.9), relay.lostAtSinks(), floor.lostAtSinks(),
                relay.gc == null || relay.gc.pauses.getTotalCount() == 0 ? Double.NaN
                        : relay.gc.pauses.getMaxValue() / 1e6,
                floor.comparable() && relay.comparable());
    }

    static double kernelMicros(RunResult r) {
        return r.relayCpuSeconds > 0 ? r.relayCpuPerCallSecondMicros * r.relayKernelCpuSeconds / r.relayCpuSeconds
                : Double.NaN;
    }

    private static String kernel(RunResult r) {
        double k = kernelMicros(r);
        return Double.isNaN(k) ? "-" : String.format(Locale.ROOT, "%,.0f (%.0f%%)", k,
                100 * r.relayKernelCpuSeconds / r.relayCpuSeconds);
    }

    private static void row(StringBuilder sb, String name, double floor, double relay, String format) {
        sb.append(String.format(Locale.ROOT, "%-32s %14s %14s %12s%n", name, fmt(format, floor), fmt(format, relay),
                ratio(relay, floor)));
    }

    private static String fmt(String format, double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String ratio(double relay, double floor) {
        return Double.isNaN(relay) || Double.isNaN(floor) || floor <= 0 ? "-"
                : String.format(Locale.ROOT, "%.2f", relay / floor);
    }

    private static double ms(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static RunResult.SinkResult sink(RunResult r, String name) {
        for (RunResult.SinkResult s : r.sinks) {
            if (s.name.equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static String schedule(RunResult r) {
        return r.comparable() ? "on schedule" : String.format(Locale.ROOT, "BEHIND (p99 %.0f ms)", r.lagP99Ms());
    }

    private static String trim(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
