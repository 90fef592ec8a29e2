package dev.relay.core.testing;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;

/**
 * A second opinion on a WAV from {@code sox --info}, when sox is installed (it is not a CI
 * dependency: the tests that ask skip the check without it).
 */
public final class Sox {
    private Sox() {}

    /** sox's duration of {@code wav} in seconds, or empty when sox is not on the PATH. */
    public static OptionalDouble duration(Path wav) throws Exception {
        Optional<Path> sox = onPath();
        if (sox.isEmpty()) {
            return OptionalDouble.empty();
        }
        Process p = new ProcessBuilder(sox.get().toString(), "--info", "-D", wav.toString())
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("sox --info did not finish");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new AssertionError("sox --info " + wav + " failed: " + out);
        }
        String[] lines = out.split("\n");
        return OptionalDouble.of(Double.parseDouble(lines[lines.length - 1].strip()));
    }

    private static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path sox = Path.of(dir, "sox");
            if (Files.isExecutable(sox)) {
                return Optional.of(sox);
            }
        }
        return Optional.empty();
    }
}
