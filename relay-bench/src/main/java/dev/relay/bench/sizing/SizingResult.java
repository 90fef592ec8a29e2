package dev.relay.bench.sizing;

import java.util.List;
import java.util.Locale;

/**
 * What one simulation measured, and the report {@code scripts/sizing} prints.
 *
 * <p>Commands are what the engines send (scripts and publishes; the commands a script runs
 * inside Redis are reported apart). Commands per second are measured at the compressed time
 * scale; heartbeats are not compressed (they run at their real period), so the real-time
 * equivalent is the call-driven part (measured minus the idle rate) divided by the speed, plus the
 * heartbeats. Memory per call is what Redis's {@code used_memory} grew by, from the empty registry
 * to the second with the most calls up, divided by those calls. Latencies run from an operation's
 * issue to its completion on the engine.
 */
record SizingResult(SizingOptions options, SimDriver driver, Sampler sampler, double idlePerS, long memBaselineBytes,
        double redisCpuS, long commands, long redisCommands, double wallS) {

    long errors() {
        return driver.errors.get();
    }

    double heartbeatPerS() {
        return idlePerS;
    }

    /** A sample's rate as a real fleet would see it. */
    double realPerS(Sampler.Sample s) {
        return Math.max(0, s.commandsPerS() - idlePerS) / options.speed + heartbeatPerS();
    }

    double peakRealPerS() {
        return sampler.samples().stream().mapToDouble(this::realPerS).max().orElse(0);
    }

    double meanRealPerS() {
        return sampler.samples().stream().mapToDouble(this::realPerS).average().orElse(0);
    }

    double commandsPerCall() {
        long arrivals = driver.arrivals.get();
        return arrivals == 0 ? 0 : Math.max(0, commands - idlePerS * wallS) / arrivals;
    }

    Sampler.Sample busiest() {
        List<Sampler.Sample> all = sampler.samples();
        Sampler.Sample best = null;
        for (Sampler.Sample s : all) {
            if (best == null || s.live() > best.live()) {
                best = s;
            }
        }
        return best;
    }

    double bytesPerCall() {
        Sampler.Sample b = busiest();
        return b == null || b.live() == 0 ? 0 : (double) (b.usedMemoryBytes() - memBaselineBytes) / b.live();
    }

    /** Redis CPU per call that arrived (its scripts, publishes and their delivery), microseconds. */
    double redisCpuUsPerCall() {
        long arrivals = driver.arrivals.get();
        return arrivals == 0 ? 0 : redisCpuS * 1e6 / arrivals;
    }

    static String clock(double dayS) {
        long m = Math.round(dayS / 60);
        return String.format(Locale.ROOT, "%02d:%02d", m / 60, m % 60);
    }

    String report() {
        SizingOptions o = options;
        Sampler.Sample peak = busiest();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "sizing: %d nodes, peak %d calls, mean %.0f s (sigma %.2f), trough %.2f,"
                + " %s-%s at %.0fx, heartbeat %d ms%n", o.nodes, o.peakCalls, o.meanDurationS, o.sigma, o.trough,
                clock(o.fromS), clock(o.toS), o.speed, o.heartbeatMs));
        b.append(String.format(Locale.ROOT, "calls: %d arrivals in %.0f s wall, most up at once %d, errors %d,"
                + " driver lag max %d ms%n", driver.arrivals.get(), wallS, peak == null ? 0 : peak.live(),
                errors(), driver.maxLagMs));
        b.append(String.format(Locale.ROOT, "redis commands/s, real-time equivalent: peak %.0f, mean %.0f"
                + " (heartbeats %.1f/s, %.2f commands per call)%n", peakRealPerS(), meanRealPerS(), heartbeatPerS(),
                commandsPerCall()));
        b.append(String.format(Locale.ROOT, "redis commands/s as replayed (x%.0f): peak %.0f, mean %.0f%n",
                o.speed, sampler.samples().stream().mapToDouble(Sampler.Sample::commandsPerS).max().orElse(0),
                sampler.samples().stream().mapToDouble(Sampler.Sample::commandsPerS).average().orElse(0)));
        b.append(String.format(Locale.ROOT, "latency: claim p50 %.2f ms p99 %.2f ms; unregister p50 %.2f ms"
                + " p99 %.2f ms%n", ms(driver.claimUs.getValueAtPercentile(50)),
                ms(driver.claimUs.getValueAtPercentile(99)), ms(driver.unregisterUs.getValueAtPercentile(50)),
                ms(driver.unregisterUs.getValueAtPercentile(99))));
        b.append(String.format(Locale.ROOT, "memory: used_memory %.1f MiB empty, %.1f MiB with %d calls up:"
                + " %.0f bytes per call%n", memBaselineBytes / 1048576.0,
                peak == null ? 0 : peak.usedMemoryBytes() / 1048576.0, peak == null ? 0 : peak.live(),
                bytesPerCall()));
        double peakArrivalsPerS = new ArrivalModel(o.peakCalls, o.meanDurationS, o.sigma, o.trough, o.peakAtS, 0)
                .ratePerS(o.peakAtS);
        b.append(String.format(Locale.ROOT, "redis cpu: %.0f us per call; %.0f%% of a core as replayed, %.1f%% of a"
                + " core at the real-time peak (%.0f arrivals/s); %.1f commands run in Redis per client command%n",
                redisCpuUsPerCall(), 100 * redisCpuS / wallS, 100 * peakArrivalsPerS * redisCpuUsPerCall() / 1e6,
                peakArrivalsPerS, commands == 0 ? 0 : (double) redisCommands / commands));
        return b.toString();
    }

    private static double ms(long us) {
        return us / 1000.0;
    }
}
