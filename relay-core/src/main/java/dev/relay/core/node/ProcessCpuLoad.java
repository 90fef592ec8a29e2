package dev.relay.core.node;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * {@link CpuLoad} of this process over a sliding window: process CPU time is sampled once per
 * period on a timer (not per request), and the load is the CPU time spent over the last
 * {@value #WINDOW_PERIODS} periods divided by the wall time and the usable cores.
 *
 * <p>{@link #sample} runs on one timer thread at a time; {@link #recentLoad} is a volatile read
 * from any thread.
 */
public final class ProcessCpuLoad implements CpuLoad {
    /** Periods in the window: 5 × 1 s is the SPEC's "over the last 5 s". */
    static final int WINDOW_PERIODS = 5;
    static final long PERIOD_MS = 1000;

    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private final int cores;
    private final long[] cpu = new long[WINDOW_PERIODS + 1];
    private final long[] wall = new long[WINDOW_PERIODS + 1];
    private int samples;
    private volatile double load;

    /**
     * @param cpuNanos the process's CPU time so far, in nanoseconds
     * @param wallNanos a monotonic clock in nanoseconds
     * @param cores the cores the process may use
     */
    ProcessCpuLoad(LongSupplier cpuNanos, LongSupplier wallNanos, int cores) {
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.cores = Math.max(1, cores);
    }

    /** This JVM's CPU time, or null when the platform does not report it. */
    public static ProcessCpuLoad forThisProcess() {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)
                || os.getProcessCpuTime() < 0) {
            return null;
        }
        return new ProcessCpuLoad(os::getProcessCpuTime, System::nanoTime, Runtime.getRuntime().availableProcessors());
    }

    /** Samples now and every {@value #PERIOD_MS} ms on {@code timer} until the future is cancelled. */
    public ScheduledFuture<?> start(ScheduledExecutorService timer) {
        return timer.scheduleAtFixedRate(this::sample, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** Takes one sample and updates the load over the window (fewer periods until it has filled). */
    void sample() {
        int slot = samples % cpu.length;
        cpu[slot] = cpuNanos.getAsLong();
        wall[slot] = wallNanos.getAsLong();
        samples++;
        if (samples < 2) {
            return;
        }
        int oldest = samples > cpu.length ? samples % cpu.length : 0;
        long wallSpan = wall[slot] - wall[oldest];
        if (wallSpan > 0) {
            load = (double) (cpu[slot] - cpu[oldest]) / ((double) wallSpan * cores);
        }
    }

    @Override
    public double recentLoad() {
        return load;
    }
}
