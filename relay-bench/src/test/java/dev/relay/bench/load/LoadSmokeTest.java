package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of the load generator: a short run against an in-process relay must lose no
 * frame, fail no call and write its report, histograms and plot. Timing never fails it (this
 * machine is shared); latency figures are only printed.
 */
@Timeout(120)
class LoadSmokeTest {

    @Test
    void twentyCallsForFiveSecondsThroughBothNetworkSinksLoseNothing(@TempDir Path out) throws Exception {
        String report = LoadRuns.run(out, "--in-process", "--calls", "20", "--duration", "5s", "--warmup", "1s",
                "--ramp", "1s", "--tls", "off", "--sinks", "probe,aiola,session-stream", "--progress", "2s",
                // Never fail on timing: on a starved CI machine the sinks may run seconds behind at the
                // calls' end, so give their queues (and the count at the fakes) time to drain.
                "--relay-set", "relay.sinks.session-stream.flush-timeout=30s",
                "--relay-set", "relay.sinks.aiola.flush-timeout=30s", "--drain", "30s");
        assertThat(report).contains("PASS: no frame lost");
        // Every sink got every frame of every call, matched to its call.
        assertThat(report).containsPattern("\\naiola +([0-9,]+) +\\1 +0 ");
        assertThat(report).containsPattern("\\nsession-stream +([0-9,]+) +\\1 +0 ");
        Path dir = LoadRuns.onlyRunDir(out);
        assertThat(dir.resolve("probe.hgrm")).isNotEmptyFile();
        assertThat(dir.resolve("aiola.hgrm")).isNotEmptyFile();
        assertThat(dir.resolve("session-stream.hgrm")).isNotEmptyFile();
        assertThat(dir.resolve("latency.svg")).isNotEmptyFile();
        assertThat(dir.resolve("report.txt")).isNotEmptyFile();
        assertThat(Files.readAllLines(dir.resolve("samples.tsv"))).hasSizeGreaterThan(1);
        List<String> summary = Files.readAllLines(dir.resolve("summary.tsv"));
        assertThat(summary.get(1)).startsWith("20\t20\t0\t").endsWith("true");
    }

    @Test
    void impairedCallsOverTlsInEveryFormLoseOnlyWhatTheGeneratorDroppedAndHearAudioBack(@TempDir Path out)
            throws Exception {
        String report = LoadRuns.run(out, "--in-process", "--calls", "6", "--duration", "3s", "--warmup", "0",
                "--ramp", "300ms", "--tls", "on", "--form", "mix", "--loss", "3", "--reorder", "3",
                "--sinks", "probe", "--progress", "5s", "--play-every", "1s", "--play-ms", "200");
        assertThat(report).contains("PASS: no frame lost");
        assertThat(report).contains("audio back (POST)").containsPattern("[1-9][0-9]* plays posted, 0 failed");
        assertThat(report).containsPattern("generator dropped [1-9]");
        assertThat(report).containsPattern("reordered [1-9]");
    }
}
