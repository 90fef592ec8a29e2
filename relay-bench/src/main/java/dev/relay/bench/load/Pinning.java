package dev.relay.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code --pin}: the relay (or floor) JVM on one set of CPUs, the generator and its fakes on the
 * others, through {@code taskset}, so that neither side's CPU is taken by the other and each can
 * be read against its own cores. The relay's JVM is started under {@code taskset -c R} (it then
 * sizes its IO loops and GC threads for those CPUs, as it would on a machine of that size); the
 * generator pins all its threads with {@code taskset -a -p -c G} before it starts any loop.
 * Immutable.
 *
 * @param relayCpus CPU list of the relay side, in taskset's syntax ({@code 0}, {@code 0-3})
 * @param generatorCpus CPU list of the generator side
 */
record Pinning(String relayCpus, String generatorCpus) {
    private static final String LIST = "[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*";

    /** {@code R/G} as given to {@code --pin=}; returned unchanged when well formed. */
    static String checkSpec(String spec) {
        String[] parts = spec.split("/", -1);
        if (parts.length != 2 || !parts[0].matches(LIST) || !parts[1].matches(LIST)) {
            throw new LoadOptions.BadArgument("--pin=R/G wants two CPU lists, e.g. --pin=0/1 or --pin=0-3/4-7, got '"
                    + spec + "'");
        }
        return spec;
    }

    /**
     * The split for {@code spec}: {@code R/G} as given, or for "" the first half of the CPUs this
     * process may run on for the relay and the rest for the generator.
     */
    static Pinning resolve(String spec) {
        if (!spec.isEmpty()) {
            String[] parts = spec.split("/");
            return new Pinning(parts[0], parts[1]);
        }
        List<Integer> cpus = allowedCpus();
        if (cpus.size() < 2) {
            throw new LoadOptions.BadArgument("--pin needs at least two CPUs, this process may use " + cpus);
        }
        int half = cpus.size() / 2;
        return new Pinning(join(cpus.subList(0, half)), join(cpus.subList(half, cpus.size())));
    }

    /** The command prefix that runs a program on the relay's CPUs. */
    List<String> relayPrefix() {
        return List.of("taskset", "-c", relayCpus);
    }

    /** Moves every thread of this JVM (the generator, its fakes) onto the generator's CPUs. */
    void pinThisProcess() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", generatorCpus, Long.toString(ProcessHandle.current()
                .pid())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset could not pin the generator to CPUs " + generatorCpus + ": " + out.strip());
        }
    }

    int relayCoreCount() {
        return expand(relayCpus).size();
    }

    int generatorCoreCount() {
        return expand(generatorCpus).size();
    }

    /** One line for the report. */
    String describe(boolean externalRelay) {
        return externalRelay
                ? "generator and fakes on CPU " + generatorCpus + "; the external relay is not pinned by the generator"
                : "relay JVM on CPU " + relayCpus + ", generator and fakes on CPU " + generatorCpus + " (taskset)";
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list}), or 0..n-1 when unreadable. */
    static List<Integer> allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return expand(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            all.add(i);
        }
        return all;
    }

    /** {@code 0-2,5} → [0, 1, 2, 5]. */
    static List<Integer> expand(String list) {
        List<Integer> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    private static String join(List<Integer> cpus) {
        StringBuilder sb = new StringBuilder();
        for (int c : cpus) {
            sb.append(sb.length() == 0 ? "" : ",").append(c);
        }
        return sb.toString();
    }
}
