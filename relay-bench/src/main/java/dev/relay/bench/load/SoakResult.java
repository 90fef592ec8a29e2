package dev.relay.bench.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a soak adds to a run's result: the faults injected, per sink the reconnects, the relay's
 * declared loss (queue overflow, unconfirmed frames of lost connections) and the loss beyond it,
 * duplicates, latency inside the fault windows, the recorder's
 * files against the frames sent, and the relay's memory trend. A soak passes on loss (none beyond
 * what the relay declared), never on timing or memory: those are figures to read. Main thread only.
 */
final class SoakResult {
    String schedule;
    int aiolaKills;
    int stalls;
    /** Per sink name: {@code relay_sink_reconnects_total} over the run. */
    final Map<String, Double> reconnects = new LinkedHashMap<>();
    /**
     * Per meter name: frames the relay wrote (relay_sink_bytes_total, replays included) that the
     * fake never read, lost in the sockets the faults cut: replayed, or declared unconfirmed.
     */
    final Map<String, Long> cut = new LinkedHashMap<>();
    /**
     * Per sink name: {@code relay_sink_frames_unconfirmed_total} over the run, frames written into
     * a connection lost before a pong confirmed them and not replayed: declared possibly lost.
     */
    final Map<String, Double> unconfirmed = new LinkedHashMap<>();
    /** Per meter name: frames that arrived twice (replays of what a lost connection had not confirmed). */
    final Map<String, Long> duplicates = new LinkedHashMap<>();
    /** Per meter name: arrivals not timed, their position lost with a reconnect (no timeline on the wire). */
    final Map<String, Long> unplaced = new LinkedHashMap<>();
    /** Per meter name: latency of arrivals inside that sink's fault windows. */
    final Map<String, Histogram> faulted = new LinkedHashMap<>();
    /** The recorder's frames: expected (every frame of every call), in its files, and dropped by its queue. */
    long recorderExpected = -1;
    long recorderReceived = -1;
    double recorderDropped = Double.NaN;
    /** The memory trend's lines ({@link SoakMonitor#summary()}). */
    List<String> memory = new ArrayList<>();

    /**
     * Frames lost at {@code s} beyond what the relay declared: its queue overflow and the frames it
     * wrote into lost connections unconfirmed. 0 means the relay knew of every lost frame. (A
     * declared unconfirmed frame may still have arrived: the declaration is an upper bound.)
     */
    long unexplained(RunResult.SinkResult s) {
        double declared = (Double.isNaN(s.relayDropped) ? 0 : s.relayDropped) + unconfirmed(s.name);
        return Math.max(0, s.lost() - Math.round(declared));
    }

    private double unconfirmed(String sink) {
        double u = unconfirmed.getOrDefault(sink, 0.0);
        return Double.isNaN(u) ? 0 : u;
    }

    long recorderUnexplained() {
        if (recorderExpected < 0) {
            return 0;
        }
        double declared = Double.isNaN(recorderDropped) ? 0 : recorderDropped;
        return Math.max(0, recorderExpected - recorderReceived - Math.round(declared));
    }

    /** What fails the soak: loss the relay did not declare (overflow or unconfirmed), per sink. */
    List<String> failures(RunResult r) {
        List<String> bad = new ArrayList<>();
        for (RunResult.SinkResult s : r.sinks) {
            if (unexplained(s) > 0) {
                bad.add(String.format(Locale.ROOT, "%s: %d frames lost beyond the %.0f its queue declared dropped"
                        + " and the %.0f it declared unconfirmed", s.name, unexplained(s), s.relayDropped,
                        unconfirmed(s.name)));
            }
        }
        if (recorderUnexplained() > 0) {
            bad.add(String.format(Locale.ROOT, "recorder: %d frames missing from the files beyond the %.0f declared"
                    + " dropped", recorderUnexplained(), recorderDropped));
        }
        return bad;
    }

    /**
     * Audio written into sockets that died beyond what the relay replayed or declared: cannot
     * happen while the sink confirms delivery (its unexplained loss would show it too).
     */
    List<String> warnings(RunResult r) {
        List<String> w = new ArrayList<>();
        for (RunResult.SinkResult s : r.sinks) {
            long frames = cut.getOrDefault(s.name, 0L);
            if (frames > 0 && !unconfirmed.containsKey(s.name)) {
                w.add(String.format(Locale.ROOT, "%s: %d frames written by the relay into sockets the faults cut,"
                        + " and the relay reports no unconfirmed frames for it", s.name, frames));
            }
        }
        return w;
    }

    /** The soak section of the report. */
    void print(PrintStream p, RunResult r) {
        p.println();
        p.println("soak: " + schedule);
        p.printf(Locale.ROOT, "faults injected: %d aiOla kills, %d session-stream stalls%n", aiolaKills, stalls);
        p.printf(Locale.ROOT, "%-16s %11s %11s %9s %11s %9s %10s %12s %11s %10s%n", "sink", "expected", "received",
                "overflow", "unconfirmed", "cut", "duplicates", "unexplained", "reconnects", "p99 fault");
        for (RunResult.SinkResult s : r.sinks) {
            Histogram f = faulted.get(s.name);
            p.printf(Locale.ROOT, "%-16s %11d %11d %9.0f %11.0f %9d %10d %12d %11.0f %10s%n", s.name,
                    s.framesExpected, s.framesReceived, s.relayDropped, unconfirmed.getOrDefault(s.name, Double.NaN),
                    cut.getOrDefault(s.name, 0L), duplicates.getOrDefault(s.name, 0L), unexplained(s),
                    reconnects.getOrDefault(s.name, Double.NaN), f == null || f.getTotalCount() == 0 ? "-"
                            : String.format(Locale.ROOT, "%.1f ms", f.getValueAtPercentile(99) / 1e6));
        }
        if (recorderExpected >= 0) {
            p.printf(Locale.ROOT, "%-16s %11d %11d %9.0f %11s %9s %10s %12d %11.0f %10s%n", "recorder",
                    recorderExpected, recorderReceived, recorderDropped, "-", "-", "-", recorderUnexplained(),
                    reconnects.getOrDefault("recorder", Double.NaN), "-");
        }
        p.println("(received: distinct frames; overflow: the relay's declared queue drops; unconfirmed: frames it"
                + " declared written into lost connections without a pong; cut: written into sockets a fault cut,"
                + " replays included; duplicates: frames that arrived twice; unexplained: lost - overflow -"
                + " unconfirmed; the latency table above is outside the fault windows, \"p99 fault\" inside them)");
        unplaced.forEach((sink, n) -> {
            if (n > 0) {
                p.printf(Locale.ROOT, "%s: %d arrivals after a call's first reconnect not timed (no timeline on its"
                        + " wire to place them after a loss)%n", sink, n);
            }
        });
        for (String w : warnings(r)) {
            p.println("WARNING: " + w);
        }
        for (String line : memory) {
            p.println(line);
        }
    }
}
