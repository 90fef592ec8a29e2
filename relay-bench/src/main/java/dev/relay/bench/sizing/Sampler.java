package dev.relay.bench.sizing;

import java.util.ArrayList;
import java.util.List;

/**
 * Redis's counters once a second while the replay runs: client commands (the engine's scripts and
 * publishes) in the last second, memory used, and the calls up at that moment. Runs on the
 * sampling thread ({@link #sample} is scheduled there); {@link #samples} is read after the
 * sampler has stopped.
 */
final class Sampler {
    /** One second of the replay. */
    record Sample(double simTimeS, int live, double commandsPerS, long usedMemoryBytes) {}

    private final RedisProbe probe;
    private final SimDriver driver;
    private final List<Sample> samples = new ArrayList<>();
    private long lastCommands = -1;
    private long lastNs;

    Sampler(RedisProbe probe, SimDriver driver) {
        this.probe = probe;
        this.driver = driver;
    }

    /** Client commands per second while no call comes or goes (the heartbeats), measured over {@code ms}. */
    double idleRate(long ms) throws InterruptedException {
        long before = probe.clientCommands();
        long startNs = System.nanoTime();
        Thread.sleep(ms);
        return (probe.clientCommands() - before) / ((System.nanoTime() - startNs) / 1e9);
    }

    void sample() {
        try {
            long now = System.nanoTime();
            long commands = probe.clientCommands();
            long memory = probe.usedMemoryBytes();
            if (lastCommands >= 0) {
                double perS = (commands - lastCommands) / ((now - lastNs) / 1e9);
                synchronized (samples) {
                    samples.add(new Sample(driver.simNowS, driver.live.get(), perS, memory));
                }
            }
            lastCommands = commands;
            lastNs = now;
        } catch (RuntimeException e) {
            // A missed sample leaves a gap; the report says how many samples it had.
        }
    }

    List<Sample> samples() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }
}
