package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Runs {@link LoadTest} in-process for the smoke tests, as {@code scripts/loadtest} would. */
final class LoadRuns {
    private LoadRuns() {}

    /** Runs with {@code args} plus {@code --out out}; asserts exit 0 and returns the printed report. */
    static String run(Path out, String... args) throws Exception {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--out", out.toString())).toArray(String[]::new);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = LoadTest.run(LoadOptions.parse(all), Path.of("").toAbsolutePath().getParent(), "test", ps);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertThat(status).as(text).isZero();
        return text;
    }

    /** The one run directory under {@code out} (the shared {@code tls} directory aside). */
    static Path onlyRunDir(Path out) throws Exception {
        try (Stream<Path> dirs = Files.list(out)) {
            List<Path> runs = dirs.filter(p -> !p.getFileName().toString().equals("tls")).toList();
            assertThat(runs).hasSize(1);
            return runs.get(0);
        }
    }
}
