package dev.relay.codec.resample;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;

/** Test-only: bytes the current thread allocates while running a piece of code. */
final class Allocation {
    private Allocation() {}

    static long measure(Runnable work) {
        final ThreadMXBean bean =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long before = bean.getCurrentThreadAllocatedBytes();
        work.run();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }
}
