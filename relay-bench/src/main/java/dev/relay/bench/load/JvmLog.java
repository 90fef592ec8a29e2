package dev.relay.bench.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Reads the relay JVM's unified log ({@code -Xlog:gc,safepoint}) between two byte offsets (the
 * file's length at the start and at the end of the measured window): every stop-the-world pause
 * from the {@code safepoint} lines ({@code Safepoint "…", … Total: N ns}, any collector), and the
 * heap size after each collection from the {@code gc} lines ({@code 120M->8M(256M)}, or ZGC's
 * {@code 120M(6%)->40M(2%)}).
 */
final class JvmLog {
    private static final Pattern SAFEPOINT = Pattern.compile("Safepoint \"([^\"]+)\".*Total: (\\d+) ns");
    private static final Pattern HEAP_AFTER = Pattern.compile("(\\d+)M(?:\\(\\d+%\\))?->(\\d+)M");

    final Histogram pauses = new Histogram(1, LatencyMetric.MAX_NANOS, 3);
    long pauseTotalNanos;
    int collections;
    long heapAfterFirstMb = -1;
    long heapAfterLastMb = -1;
    long heapAfterMaxMb = -1;
    String longestPause = "";

    /** The log's length now (0 when absent), to mark a window. */
    static long length(Path log) {
        return log == null ? 0 : log.toFile().length();
    }

    /** The pauses and collections logged between {@code from} and {@code to} bytes. */
    static JvmLog read(Path log, long from, long to) {
        JvmLog result = new JvmLog();
        if (log == null || to <= from) {
            return result;
        }
        String text;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long end = Math.min(to, f.length());
            byte[] bytes = new byte[(int) Math.max(0, end - from)];
            f.seek(from);
            f.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return result;
        }
        long longest = 0;
        for (String line : text.split("\n")) {
            Matcher sp = SAFEPOINT.matcher(line);
            if (sp.find()) {
                long ns = Long.parseLong(sp.group(2));
                result.pauses.recordValue(Math.max(1, Math.min(LatencyMetric.MAX_NANOS, ns)));
                result.pauseTotalNanos += ns;
                if (ns > longest) {
                    longest = ns;
                    result.longestPause = sp.group(1);
                }
                continue;
            }
            if (line.contains("[gc") && line.contains("GC(")) {
                Matcher h = HEAP_AFTER.matcher(line);
                if (h.find()) {
                    long after = Long.parseLong(h.group(2));
                    result.collections++;
                    if (result.heapAfterFirstMb < 0) {
                        result.heapAfterFirstMb = after;
                    }
                    result.heapAfterLastMb = after;
                    result.heapAfterMaxMb = Math.max(result.heapAfterMaxMb, after);
                }
            }
        }
        return result;
    }
}
