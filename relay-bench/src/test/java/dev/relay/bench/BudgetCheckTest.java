package dev.relay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code scripts/bench}'s verdict table, printed under the machine it was measured on. */
class BudgetCheckTest {

    @Test
    void theTableNamesTheCpuAndTheJdkItWasMeasuredOn(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh-result.json");
        Files.writeString(json, """
                [{"jdkVersion":"17.0.15","vmName":"OpenJDK 64-Bit Server VM",
                  "benchmark":"dev.relay.bench.jmh.G711Benchmark.decode160",
                  "primaryMetric":{"score":120.0,"scoreError":5.0,"scoreUnit":"ns/op"},
                  "secondaryMetrics":{"gc.alloc.rate.norm":{"score":0.0}}}]
                """);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ok = BudgetCheck.report(Map.of("dev.relay.bench.jmh.G711Benchmark.decode160",
                    new BudgetCheck.Budget("dev.relay.bench.jmh.G711Benchmark.decode160", 300, 0)),
                    BudgetCheck.readResults(json), "AMD EPYC, 2 CPUs", BudgetCheck.jdkOf(json), out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(ok).isTrue();
        assertThat(text.lines().toList().subList(0, 2)).isEqualTo(List.of("cpu: AMD EPYC, 2 CPUs",
                "jdk: JDK 17.0.15 (OpenJDK 64-Bit Server VM)"));
        assertThat(text).containsPattern("G711Benchmark.decode160 +120.0±5 +300 +0.00 +0  ok");
    }

    @Test
    void anAllocationMissIsNamedAsOne(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh-result.json");
        Files.writeString(json, """
                [{"benchmark":"dev.relay.bench.jmh.StreamingSinkBenchmark.onAudio","params":{"chunkMs":"20"},
                  "primaryMetric":{"score":0.8,"scoreError":0.1,"scoreUnit":"us/op"},
                  "secondaryMetrics":{"gc.alloc.rate.norm":{"score":11.2}}}]
                """);
        String name = "dev.relay.bench.jmh.StreamingSinkBenchmark.onAudio:chunkMs=20";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ok = BudgetCheck.report(Map.of(name, new BudgetCheck.Budget(name, 1000, 0)),
                    BudgetCheck.readResults(json), "AMD EPYC, 2 CPUs", "JDK 17", out);
        }
        assertThat(ok).isFalse();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .containsPattern("onAudio:chunkMs=20 +800.0±100 +1000 +11.20 +0  MISSED B/op \\(0.80x budget\\)");
    }
}
