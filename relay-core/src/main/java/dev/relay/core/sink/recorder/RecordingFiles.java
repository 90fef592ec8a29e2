package dev.relay.core.sink.recorder;

import dev.relay.codec.wav.WavRepair;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording directory: a new file per call that never replaces an existing one, and the
 * repair of files a killed relay left unclosed.
 *
 * <p>A recording is {@code <callId>-<yyyyMMdd-HHmmss UTC>.wav}. The name is taken with
 * {@code CREATE_NEW}, so two calls with one callId in one second (or a file from an earlier run)
 * can never overwrite each other: the second gets {@code -2}, the next {@code -3}, and so on.
 * Each open recording holds an exclusive lock on its file (released when the file is closed or
 * the process dies), so a repair never touches a file another live relay is still writing.
 *
 * <p>Blocking file IO: the recorder's writer thread and start-up only. Stateless apart from the
 * directory and the opener; thread-safe.
 */
final class RecordingFiles {
    private static final Logger log = LoggerFactory.getLogger(RecordingFiles.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    /** Names tried per call before giving up (a thousand calls with one callId in one second). */
    static final int MAX_NAME_ATTEMPTS = 1000;

    /** Opens a new file for writing, failing if the name exists. Replaceable in tests (a full disk). */
    interface Opener {
        FileChannel createNew(Path path) throws IOException;
    }

    static final Opener CREATE_NEW = path -> FileChannel.open(path, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);

    private final Path dir;
    private final Opener opener;

    RecordingFiles(Path dir, Opener opener) {
        this.dir = dir;
        this.opener = opener;
    }

    /** A created, locked file. */
    record Created(Path path, FileChannel channel) {}

    /** Creates the recording of {@code callId}, started at {@code startedAtMillis}, under a free name. */
    Created create(String callId, long startedAtMillis) throws IOException {
        Files.createDirectories(dir);
        String base = sanitize(callId) + "-" + STAMP.format(Instant.ofEpochMilli(startedAtMillis));
        for (int n = 1; n <= MAX_NAME_ATTEMPTS; n++) {
            Path path = dir.resolve(n == 1 ? base + ".wav" : base + "-" + n + ".wav");
            FileChannel channel;
            try {
                channel = opener.createNew(path);
            } catch (FileAlreadyExistsException taken) {
                continue;
            }
            lock(channel);
            return new Created(path, channel);
        }
        throw new IOException(MAX_NAME_ATTEMPTS + " recordings named " + base + "*.wav exist already");
    }

    /**
     * Repairs every {@code *.wav} in the directory whose header does not match its length (a relay
     * was killed while writing it) and that no live process holds; logs each repair. Returns how
     * many were repaired. A missing directory has nothing to repair.
     */
    int repairUnclosed() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int repaired = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.wav")) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && repair(file)) {
                    repaired++;
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("recorder: cannot scan {} for unclosed recordings: {}", dir, e.toString());
        }
        return repaired;
    }

    private static boolean repair(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException ours) {
                return false; // a recorder in this process is writing it
            }
            if (lock == null) {
                return false; // another live relay is writing it
            }
            WavRepair.Result r = WavRepair.repair(channel);
            if (r.outcome() != WavRepair.Outcome.REPAIRED) {
                return false;
            }
            log.warn("recorder: repaired {} left unclosed by an earlier run: {} bytes of audio (header said {})",
                    file, r.dataBytes(), r.declaredBefore() == 0xFFFF_FFFFL ? "unknown" : r.declaredBefore());
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException | RuntimeException e) {
            log.warn("recorder: cannot repair {}: {}", file, e.toString());
            return false;
        }
    }

    /** Takes the file's lock so that no other relay's start-up repairs it while this one writes it. */
    private static void lock(FileChannel channel) {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException | UnsupportedOperationException e) {
            // Some file systems have no locks: the recording works; only the cross-process guard is lost.
        }
    }

    static String sanitize(String callId) {
        String s = callId.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.length() > 100 ? s.substring(0, 100) : s;
    }
}
