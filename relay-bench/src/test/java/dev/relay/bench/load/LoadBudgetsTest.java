package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/loadtest --budgets}: each budget against the newest run that measured it, met or
 * MISSED, runs whose generator fell behind marked, and exit 0 even when budgets are missed.
 */
class LoadBudgetsTest {
    private static final String SUMMARY_HEADER = Report.summaryHeader();

    private static String summary(int calls, String tls, String sinks, double cpu, double p99, int lost,
            double pause, boolean comparable) {
        return SUMMARY_HEADER + "\n" + calls + "\t" + calls + "\t0\t1000\t" + lost + "\t0\t" + p99 + "\t0.1\t" + cpu
                + "\trelay\tepoll\t" + tls + "\t" + sinks + "\t0.4\t0.2\t" + (p99 * 2) + "\t" + pause + "\t"
                + comparable + "\t0.0\tno\ttrue\n";
    }

    private static String run(Path root, String... dirs) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream p = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = LoadBudgets.run(root, List.of(dirs), p);
        }
        assertThat(status).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachBudgetIsPrintedAgainstTheNewestMatchingRunAndAMissIsNotAnError(@TempDir Path root) throws Exception {
        Path budgets = root.resolve("relay-bench/load-budgets.tsv");
        Files.createDirectories(budgets.getParent());
        Files.copy(Path.of("load-budgets.tsv"), budgets);
        Path runs = root.resolve("loadtest-runs");
        Path older = Files.createDirectories(runs.resolve("20260101-000000-1000c-compare"));
        Files.writeString(older.resolve("compare.tsv"), FloorComparison.tsvHeader() + "\n"
                + "1000\toff\tsession-stream\tepoll\tno\t900\t990\t1.100\t400\t420\t1.05\t2\t3\t1.5\t4\t0\t0\t3"
                + "\ttrue\n");
        Path newer = Files.createDirectories(runs.resolve("20260102-000000-1000c-compare"));
        Files.writeString(newer.resolve("compare.tsv"), FloorComparison.tsvHeader() + "\n"
                + "1000\toff\tsession-stream\tepoll\tno\t900\t1200\t1.333\t400\t500\t1.25\t2\t7\t3.5\t9\t0\t0\t12"
                + "\tfalse\n");
        Files.createDirectories(newer.resolve("relay"));
        Files.writeString(newer.resolve("relay/summary.tsv"),
                summary(1000, "off", "session-stream", 1200, 7.0, 0, 12.0, false));
        for (int calls : new int[] {50, 100, 300, 1000}) {
            Path d = Files.createDirectories(runs.resolve("20260103-00000" + (calls % 10) + "-" + calls + "c"));
            Files.writeString(d.resolve("summary.tsv"),
                    summary(calls, "on", "aiola,session-stream", calls == 50 ? 3000 : 2000, 9, 0, 2, true));
        }
        Path capacity = Files.createDirectories(runs.resolve("20260104-000000-capacity/step-600"));
        Files.writeString(capacity.resolve("summary.tsv"), summary(600, "on", "aiola,session-stream", 2000, 15, 0, 2,
                true));
        Files.writeString(capacity.getParent().resolve("capacity.txt"), "highest passing call count: 650\n");

        String out = run(root);
        assertThat(out).containsPattern("1,000 calls, ws, session-stream +cpu_ratio +<= 1.15 +1.33 +MISSED +"
                + "20260102-000000-1000c-compare \\(NOT COMPARABLE");
        assertThat(out).containsPattern("relay_p99_ms +<= 5 +7 +MISSED +20260102-000000-1000c-compare/relay");
        assertThat(out).containsPattern("relay_lost +<= 0 +0 +met");
        assertThat(out).containsPattern("longest_pause_ms +<= 5 +12 +MISSED");
        assertThat(out).containsPattern("curve_ratio +<= 1.50 +1.50 +met +50: 3000 µs, 100: 2000 µs, 300: 2000 µs,"
                + " 1000: 2000 µs");
        assertThat(out).containsPattern("capacity_calls +>= 600 +650 +met +20260104-000000-capacity");
        assertThat(out).containsPattern("100 calls, defaults +cpu_ratio +<= 1.50 +- +no run +measure with: "
                + "scripts/loadtest --compare-floor --calls 100");
    }

    @Test
    void anUnreadableBudgetFileIsTheOnlyError(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("relay-bench"));
        Files.writeString(root.resolve("relay-bench/load-budgets.tsv"), "x\ty\tcpu_ratio\tabout 2\tcmd\n");
        try (PrintStream p = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertThat(LoadBudgets.run(root, List.of(), p)).isEqualTo(2);
        }
    }
}
