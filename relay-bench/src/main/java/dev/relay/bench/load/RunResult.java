package dev.relay.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one run measured: the figures the report prints, the capacity search judges, and the
 * exit status follows. Filled in by {@link LoadRun}.
 */
final class RunResult {
    /** One sink's delivery: latency and the frame accounting at the fake. */
    static final class SinkResult {
        String name;
        Histogram latency;
        Histogram warmup;
        long framesExpected;
        long framesReceived;
        long callsShort;
        long chunks;
        long bytes;
        long misaligned;
        long unknownCalls;
        long slowAtEnd;
        long slowElsewhere;
        double relayDropped = Double.NaN;

        long lost() {
            return Math.max(0, framesExpected - framesReceived);
        }
    }

    Path runDir;
    /** The soak's figures, or null for an ordinary run. */
    SoakResult soak;
    int calls;
    int registered;
    int failed;
    List<String> failures = new ArrayList<>();
    long durationMs;
    long warmupMs;
    long rampMs;
    String relay;
    double loadAverageBefore;

    long framesPlanned;
    long framesSent;
    long framesDroppedOnPurpose;
    long framesReordered;
    long framesBlocked;
    long botMessages;
    long botBytes;

    final List<SinkResult> sinks = new ArrayList<>();
    Histogram registration;
    Histogram connect;
    Histogram tcp;
    Histogram tls;
    Histogram upgrade;
    Histogram lag;
    Histogram hiccups;
    /** Control API POST of audio → first media message at the caller; null unless --play-every. */
    Histogram audioBack;
    long playsPosted;
    long playsFailed;

    /** Relay readings; NaN / -1 where the placement cannot give them. */
    double relayCpuSeconds = Double.NaN;
    /** The kernel's part of {@link #relayCpuSeconds}. */
    double relayKernelCpuSeconds = Double.NaN;
    double relayCpuPerCallSecondMicros = Double.NaN;
    double relayCpuShareOfOneCore = Double.NaN;
    boolean relayCpuIsWholeProcess;
    long relayRssStart = -1;
    long relayRssPeak = -1;
    long relayRssEnd = -1;
    double heapUsedEnd = Double.NaN;
    double heapBaseAfterGc = Double.NaN;
    double heapLoadedAfterGc = Double.NaN;
    /** Calls streaming when the loaded heap was read. */
    int callsAtHeapCheck;
    double heapIdleAfterGc = Double.NaN;
    double directBase = Double.NaN;
    double directLoaded = Double.NaN;
    double directEnd = Double.NaN;
    double nettyDirectLoaded = Double.NaN;
    double concealed = Double.NaN;
    double reordered = Double.NaN;
    double ingressDropped = Double.NaN;
    double late = Double.NaN;
    JvmLog gc;
    boolean relayCrashed;
    String relayExit = "";
    /** CPU nanoseconds per thread group of the relay's process over the measured window. */
    final Map<String, Long> relayThreads = new TreeMap<>();
    double generatorCpuSeconds = Double.NaN;
    double generatorWindowCpuSeconds = Double.NaN;
    /** Frames sent in the measured window (after the warm-up). */
    long framesInWindow;

    /** What stood in the relay's place: {@code relay} or {@code floor}. */
    String subject = "relay";
    /** The generator's (and fakes') transport, as chosen ({@code TransportChoice.describe()}). */
    String generatorTransport = "";
    /** The transport the relay (or floor) says it runs ({@code relay_transport_info}), or "". */
    String relayTransport = "";
    /** {@code --pin}, or null. */
    Pinning pinning;
    /** True when the relay is an external one ({@code --target}). */
    boolean externalRelay;
    /** Length of the measured window, in seconds. */
    double windowSeconds = Double.NaN;
    /** Busy fraction of each CPU over the measured window, whatever ran on it. */
    Map<Integer, Double> coreBusy = Map.of();
    /** Bytes the pacer loops (frame writers) allocated in the measured window; -1 when unknown. */
    long pacerAllocBytes = -1;
    /** Bytes the fakes' loops (sink readers) allocated in the measured window; -1 when unknown. */
    long fakeAllocBytes = -1;

    /** Sampled with each progress line: t (s), calls up, RSS, heap used, JVM direct, Netty direct (bytes). */
    List<double[]> memory = List.of();

    final List<String> warnings = new ArrayList<>();

    /** Frames the relay itself concealed beyond those the generator dropped or blocked on purpose. */
    double relayConcealedExtra() {
        return Double.isNaN(concealed) ? 0 : Math.max(0, concealed - framesDroppedOnPurpose - framesBlocked);
    }

    long lostAtSinks() {
        long lost = 0;
        for (SinkResult s : sinks) {
            lost += s.lost();
        }
        return lost;
    }

    /**
     * No frame lost anywhere, every call up and down cleanly, the relay alive. Never about timing.
     * In a soak, a sink's declared queue overflow is not loss: only frames lost beyond it are.
     */
    boolean passed() {
        boolean sinksWhole = soak != null ? soak.failures(this).isEmpty()
                : lostAtSinks() == 0
                        && sinks.stream().allMatch(s -> Double.isNaN(s.relayDropped) || s.relayDropped == 0);
        return failed == 0 && registered == calls && playsFailed == 0 && sinksWhole && framesBlocked == 0
                && !relayCrashed
                && (Double.isNaN(ingressDropped) || ingressDropped == 0) && relayConcealedExtra() == 0
                && sinks.stream().allMatch(s -> s.misaligned == 0 && s.unknownCalls == 0);
    }

    /** The worst p99 over the sinks, in ms (NaN without sinks). */
    double worstP99Ms() {
        return worstPercentileMs(99);
    }

    /** The worst value at {@code percentile} over the sinks, in ms (NaN without sinks). */
    double worstPercentileMs(double percentile) {
        double worst = Double.NaN;
        for (SinkResult s : sinks) {
            if (s.latency.getTotalCount() > 0) {
                double p = s.latency.getValueAtPercentile(percentile) / 1e6;
                worst = Double.isNaN(worst) ? p : Math.max(worst, p);
            }
        }
        return worst;
    }

    /**
     * The generator's allocation per frame sent in the measured window (pacers and fakes), in
     * bytes; NaN when unknown.
     */
    double generatorAllocPerFrame() {
        if (pacerAllocBytes < 0 || fakeAllocBytes < 0 || framesInWindow <= 0) {
            return Double.NaN;
        }
        return (double) (pacerAllocBytes + fakeAllocBytes) / framesInWindow;
    }

    /**
     * Whether the figures describe the relay rather than the generator: not when the generator
     * fell behind its own schedule ({@link #generatorBehind()}), whose delay is then in every
     * latency and whose CPU starvation is in the relay's.
     */
    boolean comparable() {
        return !generatorBehind();
    }

    /** The CPU share of the relay (or floor) over the window, against one core of its own (pinned: its cores). */
    double relayShareOfItsCores() {
        int cores = pinning != null && !externalRelay ? pinning.relayCoreCount() : 1;
        return relayCpuShareOfOneCore / cores;
    }

    /** The generator's CPU share over the window, against its cores when pinned, else one core. */
    double generatorShareOfItsCores() {
        int cores = pinning != null ? pinning.generatorCoreCount() : 1;
        return generatorWindowCpuSeconds / windowSeconds / cores;
    }

    /** True when the generator could not keep its own schedule (results then overstate latency). */
    boolean generatorBehind() {
        return lagP99Ms() > BEHIND_MS;
    }

    /** Schedule lag p99 beyond which the generator counts as fallen behind (and the report says so loudly). */
    static final double BEHIND_MS = 5;

    /** The schedule lag's p99 in ms (0 when nothing was sent). */
    double lagP99Ms() {
        return lag == null || lag.getTotalCount() == 0 ? 0 : lag.getValueAtPercentile(99) / 1e6;
    }
}
