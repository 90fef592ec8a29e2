package dev.relay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.net.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints each JMH result against its budget, under the CPU model and JDK it was measured on, and
 * exits 1 when any is missed.
 *
 * <p>usage: {@code BudgetCheck budgets.tsv jmh-result.json}. A budget line is
 * {@code benchmark<TAB>max ns/op<TAB>max B/op}, where benchmark is the JMH name
 * ({@code package.Class.method}), optionally followed by {@code :param=value}.
 */
public final class BudgetCheck {
    /** One budget line. */
    record Budget(String benchmark, double maxNsPerOp, double maxBytesPerOp) {}

    /** One measured result. */
    record Result(String benchmark, double nsPerOp, double errorNs, double bytesPerOp) {}

    private BudgetCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BudgetCheck budgets.tsv jmh-result.json");
            System.exit(2);
        }
        Map<String, Budget> budgets = readBudgets(Path.of(args[0]));
        List<Result> results = readResults(Path.of(args[1]));
        System.exit(report(budgets, results, CpuModel.describe(), jdkOf(Path.of(args[1])), System.out) ? 0 : 1);
    }

    static boolean report(Map<String, Budget> budgets, List<Result> results, PrintStream out) {
        return report(budgets, results, CpuModel.describe(), CpuModel.jdk(), out);
    }

    /**
     * Prints the table under a line naming the machine: figures on machines of one kind differ by
     * 2–3×, so a table is only meaningful beside its CPU model and JDK.
     */
    static boolean report(Map<String, Budget> budgets, List<Result> results, String cpu, String jdk,
            PrintStream out) {
        out.println("cpu: " + cpu);
        out.println("jdk: " + jdk);
        boolean ok = true;
        out.printf(Locale.ROOT, "%-62s %12s %10s %9s %8s  %s%n", "benchmark", "ns/op", "budget", "B/op", "budget",
                "verdict");
        for (Result r : results) {
            Budget b = budgets.get(r.benchmark());
            if (b == null) {
                out.printf(Locale.ROOT, "%-62s %8.1f±%-3.0f %10s %9.1f %8s  (no budget)%n",
                        shorten(r.benchmark()), r.nsPerOp(), r.errorNs(), "-", r.bytesPerOp(), "-");
                continue;
            }
            boolean timeOk = r.nsPerOp() <= b.maxNsPerOp();
            // JMH's normalised allocation carries a little noise from its own bookkeeping.
            boolean allocOk = Double.isNaN(r.bytesPerOp()) || r.bytesPerOp() <= b.maxBytesPerOp() + 0.5;
            ok &= timeOk && allocOk;
            out.printf(Locale.ROOT, "%-62s %8.1f±%-3.0f %10.0f %9.2f %8.0f  %s (%.2fx budget)%n",
                    shorten(r.benchmark()), r.nsPerOp(), r.errorNs(), b.maxNsPerOp(), r.bytesPerOp(),
                    b.maxBytesPerOp(), verdict(timeOk, allocOk), r.nsPerOp() / b.maxNsPerOp());
        }
        for (String name : budgets.keySet()) {
            if (results.stream().noneMatch(r -> r.benchmark().equals(name))) {
                out.printf(Locale.ROOT, "%-62s %12s  (not run)%n", shorten(name), "-");
            }
        }
        out.println(ok ? "all budgets met" : "budget MISSED");
        return ok;
    }

    /** Which budget a result missed: a reader fixing a miss needs to know whether it is time or B/op. */
    private static String verdict(boolean timeOk, boolean allocOk) {
        if (timeOk && allocOk) {
            return "ok";
        }
        return timeOk ? "MISSED B/op" : allocOk ? "MISSED time" : "MISSED time, B/op";
    }

    static Map<String, Budget> readBudgets(Path file) throws IOException {
        Map<String, Budget> budgets = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length != 3) {
                throw new IOException("budget line needs 3 fields: " + line);
            }
            budgets.put(f[0], new Budget(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2])));
        }
        return budgets;
    }

    static List<Result> readResults(Path file) throws IOException {
        List<Result> results = new ArrayList<>();
        for (JsonNode run : Json.MAPPER.readTree(file.toFile())) {
            StringBuilder name = new StringBuilder(run.path("benchmark").asText());
            run.path("params").properties().forEach(p -> name.append(':').append(p.getKey()).append('=')
                    .append(p.getValue().asText()));
            JsonNode primary = run.path("primaryMetric");
            double scale = switch (primary.path("scoreUnit").asText()) {
                case "us/op" -> 1_000;
                case "ms/op" -> 1_000_000;
                default -> 1;
            };
            JsonNode secondary = run.path("secondaryMetrics");
            JsonNode alloc = secondary.has("gc.alloc.rate.norm")
                    ? secondary.path("gc.alloc.rate.norm")
                    : secondary.path("\u00b7gc.alloc.rate.norm");
            results.add(new Result(name.toString(), primary.path("score").asDouble() * scale,
                    primary.path("scoreError").asDouble() * scale,
                    alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
        }
        return results;
    }

    /** The JDK the benchmarks ran on, as JMH recorded it for the first one; this JVM's when absent. */
    static String jdkOf(Path jmhResult) throws IOException {
        for (JsonNode run : Json.MAPPER.readTree(jmhResult.toFile())) {
            String version = run.path("jdkVersion").asText("");
            if (!version.isEmpty()) {
                return "JDK " + version + " (" + run.path("vmName").asText("?") + ")";
            }
        }
        return CpuModel.jdk();
    }

    private static String shorten(String benchmark) {
        return benchmark.replace("dev.relay.bench.jmh.", "");
    }
}
