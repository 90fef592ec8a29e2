package dev.relay.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of {@code scripts/loadtest}: one run, or a capacity search. Exit status 0 when no
 * frame was lost and nothing failed, 1 otherwise (latency never fails a run), 2 on bad arguments.
 * See {@link LoadOptions#help()}.
 */
public final class LoadTest {
    /** Sockets the generator needs beyond its calls' (listeners, JVM files, the relay's control API). */
    private static final int SPARE_FILES = 300;

    private LoadTest() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--budgets")) {
            Path root = Path.of(System.getProperty("relay.root", ".")).toAbsolutePath().normalize();
            System.exit(LoadBudgets.run(root, List.of(args).subList(1, args.length), System.out));
            return;
        }
        // An in-process relay logs every call at INFO; the run's own output is the report.
        if (System.getProperty("relay.log.level") == null) {
            System.setProperty("relay.log.level", "WARN");
        }
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (LoadOptions.BadArgument e) {
            System.err.println("loadtest: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(LoadOptions.help());
            return;
        }
        Path root = Path.of(System.getProperty("relay.root", ".")).toAbsolutePath().normalize();
        if (!o.out.isAbsolute()) {
            o.out = root.resolve(o.out);
        }
        String command = "scripts/loadtest " + String.join(" ", args);
        int status;
        try {
            status = run(o, root, command, System.out);
        } catch (LoadOptions.BadArgument e) {
            System.err.println("loadtest: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    /** Runs what {@code o} asks for; returns the exit status. */
    static int run(LoadOptions o, Path root, String command, PrintStream out) throws Exception {
        int perCall = 1 + (int) o.sinks.stream().filter(s -> s.equals("aiola") || s.equals("session-stream")).count();
        long files = openFileLimit();
        int maxCalls = files > 0 ? (int) Math.max(1, (files - SPARE_FILES) / perCall) : Integer.MAX_VALUE;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        Pinning pinning = null;
        if (o.pin != null) {
            pinning = Pinning.resolve(o.pin);
            pinning.pinThisProcess();
            out.println("pinned: " + pinning.describe(o.placement == LoadOptions.Placement.TARGET));
        }
        if (o.capacity) {
            int max = o.capMax > 0 ? Math.min(o.capMax, maxCalls) : maxCalls;
            Path dir = o.out.resolve(stamp + "-capacity");
            Files.createDirectories(dir);
            int best = new CapacitySearch(o, dir, root, out, command, pinning).run(max);
            return best > 0 ? 0 : 1;
        }
        if (o.calls > maxCalls) {
            throw new LoadOptions.BadArgument(String.format(Locale.ROOT,
                    "%d calls need about %d open files here and the limit is %d: raise `ulimit -n` or use fewer calls",
                    o.calls, (long) o.calls * perCall + SPARE_FILES, files));
        }
        if (o.compareFloor) {
            return compareFloor(o, root, command, out, o.out.resolve(stamp + "-" + o.calls + "c-compare"), pinning);
        }
        Path dir = o.out.resolve(stamp + "-" + o.calls + "c" + (o.floor ? "-floor" : ""));
        RunResult r = new LoadRun(o, o.calls, dir, root, out, o.floor, pinning).run();
        out.println();
        out.print(Report.write(r, o, command));
        return r.passed() ? 0 : 1;
    }

    /**
     * {@code --compare-floor}: the floor, then the relay, back to back with the same options, each
     * in a directory of its own under {@code dir}; then the comparison ({@code compare.txt},
     * {@code compare.tsv}). Both runs share this generator JVM; the floor goes first, so the
     * relay's run meets a generator its JIT has already compiled (the warm-up covers the rest).
     */
    static int compareFloor(LoadOptions o, Path root, String command, PrintStream out, Path dir, Pinning pinning)
            throws Exception {
        out.println("=== floor ===");
        RunResult floor = new LoadRun(o, o.calls, dir.resolve("floor"), root, out, true, pinning).run();
        out.println();
        out.print(Report.write(floor, o, command + "   [floor]"));
        out.println();
        out.println("=== relay ===");
        RunResult relay = new LoadRun(o, o.calls, dir.resolve("relay"), root, out, false, pinning).run();
        out.println();
        out.print(Report.write(relay, o, command + "   [relay]"));
        String text = FloorComparison.text(floor, relay, command);
        Files.writeString(dir.resolve("compare.txt"), text);
        Files.writeString(dir.resolve("compare.tsv"), FloorComparison.tsvHeader() + "\n"
                + FloorComparison.tsvRow(floor, relay, o) + "\n");
        out.println();
        out.print(text);
        out.println("files: " + dir);
        return floor.passed() && relay.passed() ? 0 : 1;
    }

    /** The soft open-file limit of this process, or -1. */
    static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                    return f[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(f[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
