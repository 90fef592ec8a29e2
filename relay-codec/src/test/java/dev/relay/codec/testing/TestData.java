package dev.relay.codec.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared reference vectors ({@code ../shared/testdata}) for tests.
 *
 * <p>Maven passes the directory as the {@code testdata.dir} system property; when a test runs
 * from an IDE without it, the directory is found by walking up from the working directory.
 */
public final class TestData {
    private TestData() {}

    /** The testdata directory. */
    public static Path dir() {
        String configured = System.getProperty("testdata.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return Path.of(configured);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/testdata").normalize();
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/testdata not found; set -Dtestdata.dir=DIR");
    }

    /** A reference file's path. */
    public static Path path(String name) {
        return dir().resolve(name);
    }

    /** A reference file's bytes. */
    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A headless signed 16-bit little-endian file as samples. */
    public static short[] s16le(String name) {
        byte[] raw = bytes(name);
        short[] out = new short[raw.length / 2];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(out);
        return out;
    }
}
