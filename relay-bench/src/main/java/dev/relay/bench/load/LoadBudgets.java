package dev.relay.bench.load;

import dev.relay.bench.CpuModel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code scripts/loadtest --budgets [DIR…]}: every load budget of {@code relay-bench/load-budgets.tsv}
 * against the newest run that measured it (under {@code loadtest-runs/}, or the directories given),
 * printed with the run it came from and whether that run's generator kept its schedule. A missed
 * budget is printed as MISSED and the exit status stays 0: load figures on a shared machine are for
 * reading, not for failing builds. Exit 2 only when the budget file cannot be read.
 */
final class LoadBudgets {
    /** The call counts of the cost curve. */
    static final List<Integer> CURVE_CALLS = List.of(50, 100, 300, 1000);

    /** One line of the budget file. */
    record Budget(String target, String scenario, String metric, boolean atMost, double limit, String command) {}

    /** One figure found for a budget: the value, where it came from, and a note (comparable or not). */
    private record Figure(double value, String run, String note) {}

    private LoadBudgets() {}

    static int run(Path root, List<String> dirs, PrintStream out) throws IOException {
        Path file = root.resolve("relay-bench/load-budgets.tsv");
        List<Budget> budgets;
        try {
            budgets = read(file);
        } catch (IOException | IllegalArgumentException e) {
            out.println("loadtest --budgets: " + file + ": " + e.getMessage());
            return 2;
        }
        List<Path> where = new ArrayList<>();
        for (String d : dirs) {
            where.add(root.resolve(d));
        }
        if (where.isEmpty()) {
            where.add(root.resolve("loadtest-runs"));
        }
        RunIndex index = RunIndex.read(where);
        out.println("load budgets: " + file);
        out.println("runs:         " + where + " (" + index.rows().size() + " results)");
        out.println("machine:      " + CpuModel.describe() + " (this machine; each run's report.txt names its own)");
        out.println();
        out.printf(Locale.ROOT, "%-44s %-18s %9s %10s  %-8s %s%n", "target", "metric", "budget", "measured",
                "verdict", "run");
        for (Budget b : budgets) {
            Figure f = figure(b, index);
            String budget = (b.atMost() ? "<= " : ">= ") + num(b.limit());
            if (f == null) {
                out.printf(Locale.ROOT, "%-44s %-18s %9s %10s  %-8s %s%n", b.target(), b.metric(), budget, "-",
                        "no run", "measure with: " + b.command());
                continue;
            }
            boolean met = b.atMost() ? f.value() <= b.limit() : f.value() >= b.limit();
            out.printf(Locale.ROOT, "%-44s %-18s %9s %10s  %-8s %s%s%n", b.target(), b.metric(), budget,
                    num(f.value()), met ? "met" : "MISSED", f.run(), f.note().isEmpty() ? "" : " (" + f.note() + ")");
        }
        out.println();
        out.println("A miss is printed, never an error: these are for reading (see docs/load-testing.md).");
        return 0;
    }

    static List<Budget> read(Path file) throws IOException {
        List<Budget> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 5 || !f[3].matches("[<>]=[0-9.]+")) {
                throw new IllegalArgumentException("want target, scenario, metric, <=X or >=X, command: " + line);
            }
            out.add(new Budget(f[0], f[1], f[2], f[3].startsWith("<"), Double.parseDouble(f[3].substring(2)), f[4]));
        }
        return out;
    }

    private static Figure figure(Budget b, RunIndex index) {
        return switch (b.metric()) {
            case "cpu_ratio" -> newest(index, "compare", b.scenario(), "cpu_ratio");
            case "relay_p99_ms" -> newestRelay(index, b.scenario(), "worst_p99_ms");
            case "relay_lost" -> newestRelay(index, b.scenario(), "lost_at_sinks");
            case "longest_pause_ms" -> newestRelay(index, b.scenario(), "longest_pause_ms");
            case "capacity_calls" -> newest(index, "capacity", b.scenario(), "capacity_calls");
            case "curve_ratio" -> curve(index, b.scenario());
            default -> throw new IllegalArgumentException("unknown metric " + b.metric());
        };
    }

    private static Figure newest(RunIndex index, String kind, String scenario, String column) {
        Figure found = null;
        for (RunIndex.Row r : index.rows()) {
            if (r.kind().equals(kind) && r.matches(scenario) && !Double.isNaN(r.number(column))) {
                found = new Figure(r.number(column), r.dir().getFileName().toString(), note(r));
            }
        }
        return found;
    }

    private static Figure newestRelay(RunIndex index, String scenario, String column) {
        Figure found = null;
        for (RunIndex.Row r : index.rows()) {
            if (r.kind().equals("summary") && r.get("subject").equals("relay") && r.matches(scenario)
                    && !Double.isNaN(r.number(column))) {
                found = new Figure(r.number(column), run(r), note(r));
            }
        }
        return found;
    }

    /** Highest ÷ lowest relay CPU per call-second over the newest run at each curve point. */
    private static Figure curve(RunIndex index, String scenario) {
        Map<Integer, RunIndex.Row> points = new TreeMap<>();
        for (RunIndex.Row r : index.rows()) {
            int calls = (int) r.number("calls");
            if (r.kind().equals("summary") && r.get("subject").equals("relay") && r.matches(scenario)
                    && CURVE_CALLS.contains(calls) && r.number("relay_cpu_us_per_call_s") > 0) {
                points.put(calls, r);
            }
        }
        if (points.size() < 2) {
            return null;
        }
        double lo = Double.MAX_VALUE;
        double hi = 0;
        StringBuilder sb = new StringBuilder();
        boolean comparable = true;
        for (Map.Entry<Integer, RunIndex.Row> e : points.entrySet()) {
            double v = e.getValue().number("relay_cpu_us_per_call_s");
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            sb.append(sb.length() == 0 ? "" : ", ").append(e.getKey()).append(": ").append(num(v)).append(" µs");
            comparable &= !"false".equals(e.getValue().get("comparable"));
        }
        String note = (points.size() < CURVE_CALLS.size() ? points.size() + " of " + CURVE_CALLS.size() + " points; "
                : "") + (comparable ? "" : "NOT COMPARABLE; ");
        return new Figure(hi / lo, sb.toString(), note.isEmpty() ? "" : note.substring(0, note.length() - 2));
    }

    /** A relay run's name: its directory, or {@code <compare dir>/relay}. */
    private static String run(RunIndex.Row r) {
        Path parent = r.dir().getParent();
        String name = r.dir().getFileName().toString();
        return name.equals("relay") && parent != null ? parent.getFileName() + "/relay" : name;
    }

    private static String note(RunIndex.Row r) {
        return "false".equals(r.get("comparable")) ? "NOT COMPARABLE: the generator fell behind" : "";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }
}
