package dev.relay.codec.resample;

import java.lang.management.ManagementFactory;

/** Test-only: bytes the current thread allocates while running a piece of code. */
final class Allocation {
    private Allocation() {}

    static long measure(Runnable work) {
        final com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long before = bean.getCurrentThreadAllocatedBytes();
        work.run();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }
}
