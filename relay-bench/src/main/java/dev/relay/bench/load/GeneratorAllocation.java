package dev.relay.bench.load;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes the generator's own threads allocate (HotSpot's per-thread allocation counter, the one
 * JFR's allocation events and JMH's {@code -prof gc} rest on): the pacer loops, which write every
 * frame, and the fakes' loops, which read every sink message. Read at both ends of the measured
 * window and divided by the frames sent, it is the generator's allocation per frame, which should
 * stay at zero. Threads are recognised by the names the run gives its loops ({@link #PREFIX}).
 * Thread-safe.
 */
final class GeneratorAllocation {
    /** Every loop the generator creates is named {@code lt-…}. */
    static final String PREFIX = "lt-";
    static final String PACERS = PREFIX + "gen";
    static final String FAKES = PREFIX + "fake";

    private static final ThreadMXBean THREADS = threads();

    private GeneratorAllocation() {}

    private static ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            if (!t.isThreadAllocatedMemoryEnabled()) {
                t.setThreadAllocatedMemoryEnabled(true);
            }
            return t;
        }
        return null;
    }

    /**
     * Bytes allocated so far by the live threads whose names start with {@code prefix}, or -1 when
     * the JVM cannot say.
     */
    static long bytes(String prefix) {
        if (THREADS == null) {
            return -1;
        }
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                ids.add(t.getId());
            }
        }
        long[] array = ids.stream().mapToLong(Long::longValue).toArray();
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(array)) {
            sum += Math.max(0, b);
        }
        return sum;
    }
}
