package dev.relay.bench.load;

import java.net.URI;
import java.nio.file.Path;

/**
 * The relay a run drives: started by the generator (a separate JVM or in this one) or external.
 * Readings the placement cannot give are null / false.
 */
interface RelayUnderTest extends AutoCloseable {
    /** The telephony URL the simulated calls connect to. */
    URI mediaUrl();

    /** {@code http://host:port} of the relay's control API, or null when unknown. */
    URI controlUrl();

    /** One line saying what runs where (pid, JVM, key settings). */
    String describe();

    /** The relay's {@code /metrics} text now, or null. */
    String scrape();

    /** CPU and RSS of the relay's process, or null. */
    default ProcStat proc() {
        String pid = pid();
        return pid == null ? null : ProcStat.read(pid);
    }

    /** The relay's pid for {@code /proc} ("self" when in-process), or null. */
    default String pid() {
        return null;
    }

    /** True when {@link #proc()} covers only the relay (not the generator as well). */
    boolean procIsRelayOnly();

    /** Asks the relay's JVM for a full GC (to read its live heap), blocking; false if impossible. */
    default boolean forceGc() {
        return false;
    }

    /** The relay's unified JVM log with gc and safepoint tags, or null. */
    default Path jvmLog() {
        return null;
    }

    /** True while the relay is still running (a crashed relay fails the run). */
    default boolean alive() {
        return true;
    }

    @Override
    void close();
}
