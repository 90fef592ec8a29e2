package dev.relay.core.node;

/**
 * The relay's own recent CPU use, as admission control sees it. Implementations are read on IO
 * loops for every upgrade, so {@link #recentLoad} must be a plain field read, never a measurement.
 */
@FunctionalInterface
public interface CpuLoad {
    /**
     * CPU time the process used over the last few seconds, as a fraction of the cores it may use
     * (0 idle, 1 every usable core busy). Thread-safe, non-blocking.
     */
    double recentLoad();
}
