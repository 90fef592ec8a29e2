package dev.relay.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Busy and total time of every CPU from {@code /proc/stat} ({@code cpuN user nice system idle
 * iowait irq softirq steal …}, in clock ticks): read at both ends of the measured window, it says
 * how busy each core was whatever ran on it, the relay, the generator or another program.
 * Immutable.
 *
 * @param busyTicks per CPU number: all but idle and iowait
 * @param totalTicks per CPU number: everything
 */
record CoreTimes(Map<Integer, Long> busyTicks, Map<Integer, Long> totalTicks) {

    /** This moment's times, or null where {@code /proc/stat} cannot be read. */
    static CoreTimes read() {
        try {
            Map<Integer, Long> busy = new TreeMap<>();
            Map<Integer, Long> total = new TreeMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                int cpu = Integer.parseInt(f[0].substring(3));
                long all = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    all += Long.parseLong(f[i]);
                }
                long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
                busy.put(cpu, all - idle);
                total.put(cpu, all);
            }
            return new CoreTimes(busy, total);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Per CPU, the busy fraction between {@code start} and this reading. */
    Map<Integer, Double> busySince(CoreTimes start) {
        Map<Integer, Double> out = new TreeMap<>();
        for (Map.Entry<Integer, Long> e : totalTicks.entrySet()) {
            Long t0 = start.totalTicks.get(e.getKey());
            Long b0 = start.busyTicks.get(e.getKey());
            if (t0 == null || b0 == null || e.getValue() <= t0) {
                continue;
            }
            out.put(e.getKey(), (double) (busyTicks.get(e.getKey()) - b0) / (e.getValue() - t0));
        }
        return out;
    }
}
