package dev.relay.bench.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.HdrHistogram.Histogram;

/**
 * The suite's measurements (drain time, forwarding latency, media latency with Redis up, down and
 * paused): printed, and appended to {@code target/fleet-figures.txt} for the closing note. Nothing
 * is asserted on them: the machine is shared, so they describe a run, they do not judge it.
 */
final class Figures {
    private Figures() {}

    static void record(String line) {
        System.out.println("[fleet figure] " + line);
        try {
            Path out = Path.of("target", "fleet-figures.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the printed line is enough
        }
    }

    /** {@code what: n=…, p50 … ms, p99 … ms, max … ms} of a histogram in nanoseconds. */
    static String percentiles(String what, Histogram h) {
        return String.format("%s: n=%d p50 %.2f ms, p99 %.2f ms, max %.2f ms", what, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }
}
