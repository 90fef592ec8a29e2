package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compare-floor} end to end, floor and relay in this JVM: the floor must answer the
 * generator's calls as the relay does and deliver every frame's bytes to the same fakes, matched
 * to their calls, so that both rows have latency; then the comparison is printed and written.
 * Timing never fails it.
 */
@Timeout(180)
class FloorCompareSmokeTest {

    @Test
    void floorAndRelayDeliverEveryFrameToTheSameFakesAndAreCompared(@TempDir Path out) throws Exception {
        String text = LoadRuns.run(out, "--in-process", "--compare-floor",
                "--calls", "6", "--duration", "3s", "--warmup", "1s",
                "--ramp", "300ms", "--tls", "on", "--sinks", "aiola,session-stream", "--progress", "5s",
                "--relay-set", "relay.sinks.session-stream.chunk-ms=40",
                "--relay-set", "relay.sinks.session-stream.flush-timeout=30s",
                "--relay-set", "relay.sinks.aiola.flush-timeout=30s", "--drain", "30s");
        assertThat(text).contains("=== floor ===").contains("=== relay ===");
        // Both runs: every frame of every call at both fakes, matched to its call.
        assertThat(text.split("PASS: no frame lost", -1)).hasSize(3);
        Path dir = LoadRuns.onlyRunDir(out);
        String floor = Files.readString(dir.resolve("floor/report.txt"));
        assertThat(floor).containsPattern("\\naiola +([0-9,]+) +\\1 +0 ")
                .containsPattern("\\nsession-stream +([0-9,]+) +\\1 +0 ")
                .contains("floor, in-process");
        assertThat(Files.readString(dir.resolve("compare.txt")))
                .contains("cpu µs per call-second").contains("session-stream p99 ms").contains("aiola p99.9 ms")
                .contains("relay / floor, cpu per call-second");
        List<String> tsv = Files.readAllLines(dir.resolve("compare.tsv"));
        assertThat(tsv).hasSize(2);
        assertThat(tsv.get(0)).startsWith("calls\ttls\tsinks\t").contains("cpu_ratio");
        assertThat(tsv.get(1)).startsWith("6\ton\taiola,session-stream\t");
        assertThat(Files.readAllLines(dir.resolve("relay/summary.tsv")).get(1)).contains("\trelay\t");
        assertThat(Files.readAllLines(dir.resolve("floor/summary.tsv")).get(1)).contains("\tfloor\t");
    }
}
