package dev.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine a figure was taken on, as the benchmark and load reports print it beside every
 * table: the CPU's {@code model name} from {@code /proc/cpuinfo} (machines of one kind differ by
 * 2–3× in these figures) and the JDK. Stateless.
 */
public final class CpuModel {
    private CpuModel() {}

    /** The first {@code model name} in {@code /proc/cpuinfo}, or {@code unknown}. */
    public static String name() {
        return name(Path.of("/proc/cpuinfo"));
    }

    static String name(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    String v = line.substring(line.indexOf(':') + 1).strip().replaceAll("\\s+", " ");
                    return v.isEmpty() ? "unknown" : v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable
        }
        return "unknown";
    }

    /** {@code <model name>, <n> CPUs}: the CPU line of a report. */
    public static String describe() {
        return name() + ", " + cpuCount() + " CPUs";
    }

    /**
     * The machine's CPUs ({@code processor} entries in {@code /proc/cpuinfo}): not this JVM's
     * {@code availableProcessors()}, which a pinned process ({@code taskset}) sees shrink.
     */
    public static int cpuCount() {
        return cpuCount(Path.of("/proc/cpuinfo"));
    }

    static int cpuCount(Path cpuinfo) {
        try {
            int n = (int) Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("processor")).count();
            if (n > 0) {
                return n;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** This JVM's JDK, e.g. {@code JDK 17.0.15 (OpenJDK 64-Bit Server VM)}. */
    public static String jdk() {
        return "JDK " + Runtime.version() + " (" + System.getProperty("java.vm.name", "?") + ")";
    }
}
