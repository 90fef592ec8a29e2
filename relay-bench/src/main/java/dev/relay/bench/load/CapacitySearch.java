package dev.relay.bench.load;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --capacity}: runs of growing call counts ({@code --start}, + {@code --step} …) until one
 * fails (p99 of a sink above {@code --threshold-ms}, or any frame lost, or a call failed), then
 * bisection between the last pass and the first failure down to {@code --resolution}. Each step
 * is a full run with a fresh relay in {@code step-<calls>/}; the table goes to {@code capacity.txt}.
 * A step where the generator's schedule lag p99 exceeded half the threshold is run once more; if
 * it does so again the search ends there: its verdict would be about the generator, not the relay.
 */
final class CapacitySearch {
    private record Step(int calls, RunResult result, boolean pass, String why) {}

    private final LoadOptions o;
    private final Path dir;
    private final Path repoRoot;
    private final PrintStream out;
    private final String command;
    private final List<Step> steps = new ArrayList<>();
    private final Pinning pinning;

    /** @param pinning the CPU split of {@code --pin} (this process already pinned), or null */
    CapacitySearch(LoadOptions o, Path dir, Path repoRoot, PrintStream out, String command, Pinning pinning) {
        this.pinning = pinning;
        this.o = o;
        this.dir = dir;
        this.repoRoot = repoRoot;
        this.out = out;
        this.command = command;
    }

    /** The highest passing call count (0 if none passed). */
    int run(int maxCalls) throws Exception {
        int lastPass = 0;
        int firstFail = -1;
        boolean generatorLimited = false;
        for (int n = o.capStart; n <= maxCalls; n += o.capStep) {
            Step s = step(n);
            if (limitedByGenerator(s.result)) {
                generatorLimited = true;
                break;
            }
            if (s.pass) {
                lastPass = n;
            } else {
                firstFail = n;
                break;
            }
        }
        while (!generatorLimited && firstFail > 0 && firstFail - lastPass > o.capResolution) {
            int mid = (lastPass + firstFail) / 2 / o.capResolution * o.capResolution;
            if (mid <= lastPass) {
                mid = lastPass + o.capResolution;
            }
            if (mid >= firstFail) {
                break;
            }
            Step s = step(mid);
            if (limitedByGenerator(s.result)) {
                generatorLimited = true;
                break;
            }
            if (s.pass) {
                lastPass = mid;
            } else {
                firstFail = mid;
            }
        }
        StringBuilder table = new StringBuilder();
        table.append("command: ").append(command).append('\n');
        table.append(String.format(Locale.ROOT,
                "criterion: p99 <= %.1f ms at every sink, no frame lost, no call failed%n%n",
                o.thresholdMs));
        table.append("   calls   worst p99 ms   lost   failed   lag p99 ms   relay µs/call-s   verdict\n");
        for (Step s : steps) {
            RunResult r = s.result;
            table.append(String.format(Locale.ROOT, "%8d %14s %6d %8d %12s %17s   %s%n", s.calls,
                    Progress.fmt(r.worstP99Ms()), r.lostAtSinks() + r.framesBlocked, r.failed,
                    r.lag == null || r.lag.getTotalCount() == 0 ? "-"
                    : Progress.fmt(r.lag.getValueAtPercentile(99) / 1e6),
                    Double.isNaN(r.relayCpuPerCallSecondMicros) ? "-" : String.format(Locale.ROOT, "%.0f",
                    r.relayCpuPerCallSecondMicros),
                    (s.pass ? "pass" : "FAIL: " + s.why)));
        }
        table.append('\n');
        if (generatorLimited) {
            table.append("search stopped: the generator fell behind its schedule; the relay's limit is above what this"
                    + " machine can generate\n");
        } else if (firstFail < 0) {
            table.append("search stopped at --max " + maxCalls + " without a failure\n");
        }
        table.append("highest passing call count: ").append(lastPass).append('\n');
        Files.writeString(dir.resolve("capacity.txt"), table.toString());
        out.println();
        out.print(table);
        return lastPass;
    }

    /**
     * The generator's own lateness is a sizeable part of the latency limit: the step says more
     * about the generator than about the relay.
     */
    private boolean limitedByGenerator(RunResult r) {
        return r.generatorBehind() && r.lagP99Ms() > o.thresholdMs / 2;
    }

    private Step step(int calls) throws Exception {
        out.printf(Locale.ROOT, "%n=== capacity step: %d calls ===%n", calls);
        RunResult r = new LoadRun(o, calls, dir.resolve("step-" + calls), repoRoot, out, false, pinning).run();
        out.print(Report.write(r, o, command + "   [step " + calls + "]"));
        if (limitedByGenerator(r)) {
            // On a shared machine one stall can do it: the step is run once more before it counts.
            out.printf(Locale.ROOT, "%n=== capacity step: %d calls, again (the generator fell behind) ===%n", calls);
            r = new LoadRun(o, calls, dir.resolve("step-" + calls + "-again"), repoRoot, out, false, pinning).run();
            out.print(Report.write(r, o, command + "   [step " + calls + ", again]"));
        }
        double p99 = r.worstP99Ms();
        String why;
        if (!r.passed()) {
            why = "frames lost or calls failed";
        } else if (Double.isNaN(p99)) {
            why = "nothing measured";
        } else if (p99 > o.thresholdMs) {
            why = String.format(Locale.ROOT, "p99 %.2f ms > %.1f ms", p99, o.thresholdMs);
        } else {
            why = "";
        }
        Step s = new Step(calls, r, why.isEmpty(), why);
        steps.add(s);
        return s;
    }
}
