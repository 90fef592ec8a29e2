package dev.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process from Linux {@code /proc}: {@code stat} fields 14 and
 * 15 (utime, stime, in clock ticks of {@code getconf CLK_TCK}, 100 on Linux x86-64) and
 * {@code VmRSS} from {@code status}. A reading is null where {@code /proc} is missing.
 *
 * @param cpuNanos user + system CPU time since the process started
 * @param systemNanos the kernel's share of {@code cpuNanos} (system calls, and on loopback the
 *     receiving side's TCP processing, which Linux charges to the sender)
 * @param rssBytes resident set size now
 * @param threads thread count now
 */
record ProcStat(long cpuNanos, long systemNanos, long rssBytes, int threads) {
    private static final long TICK_NANOS = 1_000_000_000L / 100;

    /** The process {@code pid} ("self" for this one), or null when it cannot be read. */
    static ProcStat read(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // The command name may hold spaces and parentheses: fields start after the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            long systemTicks = Long.parseLong(f[12]);
            long ticks = Long.parseLong(f[11]) + systemTicks;
            int threads = Integer.parseInt(f[17]);
            long rss = 0;
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            return new ProcStat(ticks * TICK_NANOS, systemTicks * TICK_NANOS, rss, threads);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * CPU time per thread group of process {@code pid}: threads are grouped by their name without
     * its trailing number ({@code GC Thread#0} and {@code GC Thread#1} → {@code GC Thread},
     * {@code relay-dsp-0} → {@code relay-dsp}); Linux keeps the first 15 characters of a name.
     * Threads that ended are not counted. Empty if unreadable.
     */
    static Map<String, Long> threadGroups(String pid) {
        Map<String, Long> out = new TreeMap<>();
        Path tasks = Path.of("/proc", pid, "task");
        try (Stream<Path> dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    String group = name.replaceAll("([-#_ ]?[0-9]+)+$", "");
                    out.merge(group.isEmpty() ? name : group, ticks * TICK_NANOS, Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
