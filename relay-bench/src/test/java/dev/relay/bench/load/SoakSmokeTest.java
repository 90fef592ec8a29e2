package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault soak in CI size: a minute of calls through aiOla, session-stream and the recorder
 * while the fakes kill aiOla's connections and stall then drop session-stream's uploads (each
 * fault at least twice, reconnects refused after each). Asserts what a soak promises: no frame
 * lost beyond what the relay declared (queue overflow, frames written into a lost connection before
 * a pong confirmed them), and reconnects on both network sinks. No timing is asserted: the schedule
 * only decides when the faults happen.
 */
@Timeout(300)
class SoakSmokeTest {
    private static final Pattern ROW = Pattern.compile(
            "\\n(aiola|session-stream|recorder) +(\\d+) +(\\d+) +(\\d+) +(\\d+|-|NaN) +(\\d+|-) +(\\d+|-) +(\\d+)"
                    + " +(\\d+)");

    @Test
    void aMinuteOfFaultsLosesNothingUndeclaredAndBothSinksReconnect(@TempDir Path out)
            throws Exception {
        // Paranoid leak tracking records a stack trace at every buffer access: a minute of audio under
        // it leaves the sinks tens of seconds behind. Sampled for the run (NoLeaksExtension still checks).
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        String report;
        try {
            report = LoadRuns.run(out, "--in-process", "--soak", "60s", "--faults", "--calls", "10", "--ramp", "1s",
                    "--warmup", "1s", "--tls", "off", "--progress", "10s",
                    "--kill-aiola-every", "15s", "--stall-every", "20s", "--stall-for", "2s", "--refuse-for", "1s",
                    "--fault-recovery", "5s",
                    // Never fail on timing: a starved machine may leave the sinks seconds behind at the end.
                    // Every flush is over (sent or declared dropped) before the drain ends and the count.
                    "--relay-set", "relay.sinks.session-stream.flush-timeout=10s",
                    "--relay-set", "relay.sinks.aiola.flush-timeout=10s", "--drain", "30s");
        } finally {
            ResourceLeakDetector.setLevel(level);
        }
        assertThat(report).contains("PASS: no frame lost beyond what the relay declared");
        Matcher faults = Pattern.compile("faults injected: (\\d+) aiOla kills, (\\d+) session-stream stalls")
                .matcher(report);
        assertThat(faults.find()).as("the faults line").isTrue();
        assertThat(Integer.parseInt(faults.group(1))).as("aiOla kills").isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(faults.group(2))).as("session-stream stalls").isGreaterThanOrEqualTo(2);
        Matcher rows = ROW.matcher(report);
        int seen = 0;
        while (rows.find()) {
            seen++;
            String sink = rows.group(1);
            assertThat(Long.parseLong(rows.group(8))).as("%s frames lost unexplained", sink).isZero();
            if (!sink.equals("recorder")) {
                assertThat(Long.parseLong(rows.group(9))).as("%s reconnects", sink).isPositive();
            } else {
                assertThat(Long.parseLong(rows.group(3))).as("recorder frames in the files").isPositive();
            }
        }
        assertThat(seen).as("a soak row per sink").isEqualTo(3);
        try (Stream<Path> dirs = Files.list(out)) {
            Path dir = dirs.filter(p -> !p.getFileName().toString().equals("tls")).findFirst().orElseThrow();
            List<String> memory = Files.readAllLines(dir.resolve("soak-memory.csv"));
            assertThat(memory.get(0)).startsWith("t_s,relay_rss_mb,heap_used_mb");
            assertThat(memory).hasSizeGreaterThan(10);
            assertThat(dir.resolve("recordings")).as("recordings deleted once counted").doesNotExist();
        }
    }
}
