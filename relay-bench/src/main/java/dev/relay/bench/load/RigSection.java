package dev.relay.bench.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The part of the report that says whether a run measured the relay or the rig: transports, CPU
 * pinning, each side's CPU against its own cores, how busy every core was, what the generator
 * allocated per frame, and the verdict {@code comparable} / {@code NOT COMPARABLE} (the generator
 * fell behind its schedule: its delay is in every latency). Stateless.
 */
final class RigSection {
    private RigSection() {}

    static void print(PrintStream p, RunResult r) {
        p.println("rig");
        p.println("  transport: generator and fakes " + r.generatorTransport + "; " + r.subject + " "
                + (r.relayTransport.isEmpty() ? "(not reported)" : r.relayTransport));
        p.println("  pinning: " + (r.pinning == null ? "none (--pin puts the " + r.subject
                + " and the generator on cores of their own)" : r.pinning.describe(r.externalRelay)));
        if (!r.coreBusy.isEmpty()) {
            StringBuilder sb = new StringBuilder("  cores over the measured window:");
            for (Map.Entry<Integer, Double> e : r.coreBusy.entrySet()) {
                sb.append(String.format(Locale.ROOT, " cpu%d %.0f%% busy,", e.getKey(), e.getValue() * 100));
            }
            sb.setLength(sb.length() - 1);
            p.println(sb);
        }
        if (!Double.isNaN(r.relayCpuShareOfOneCore) && !r.relayCpuIsWholeProcess) {
            p.printf(Locale.ROOT, "  %s cpu %.0f%% of %s; generator and fakes %.0f%% of %s%n", r.subject,
                    r.relayShareOfItsCores() * 100, r.pinning != null && !r.externalRelay
                            ? "its CPU " + r.pinning.relayCpus() : "one core",
                    r.generatorShareOfItsCores() * 100, r.pinning != null ? "its CPU " + r.pinning.generatorCpus()
                            : "one core");
        }
        double perFrame = r.generatorAllocPerFrame();
        if (!Double.isNaN(perFrame)) {
            p.printf(Locale.ROOT, "  generator allocation: %.1f bytes per frame sent (pacer loops %,d B, fakes %,d B"
                    + " over %,d frames in the measured window)%n", perFrame, r.pacerAllocBytes, r.fakeAllocBytes,
                    r.framesInWindow);
        }
        if (r.comparable()) {
            p.println("  comparable: the generator kept its schedule (lag p99 "
                    + String.format(Locale.ROOT, "%.2f", r.lagP99Ms()) + " ms)");
        } else {
            p.printf(Locale.ROOT, "  NOT COMPARABLE: the generator fell behind its schedule (lag p99 %.2f ms > %.0f"
                    + " ms);"
                    + " its delay is in every latency and its CPU hunger in the %s's figures%n", r.lagP99Ms(),
                    RunResult.BEHIND_MS, r.subject);
        }
    }
}
