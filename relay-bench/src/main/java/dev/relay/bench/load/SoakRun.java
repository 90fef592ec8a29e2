package dev.relay.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The soak's part of a load run ({@code --soak}): declares the fault windows to the sink meters,
 * runs the {@link FaultInjector} (with {@code --faults}) and the {@link SoakMonitor}, and at the
 * end fills the run's {@link SoakResult}: reconnects and overflow per sink from the relay's
 * metrics, the recorder's files counted against the frames sent (then deleted: an hour of 300
 * calls is 35 GB of WAV), and the memory trend. Main thread only.
 */
final class SoakRun implements AutoCloseable {
    /** PCM16 at 16 kHz: bytes of one 20 ms frame (in a recording or on a sink's wire), and a WAV header. */
    private static final int RECORDED_FRAME_BYTES = 640;
    private static final int WAV_HEADER_BYTES = 44;
    private static final String[] RECONNECTING = {"aiola", "session-stream", "recorder"};

    private final SoakOptions soak;
    private final List<SinkMeter> meters;
    private final FaultInjector faults;
    private final SoakMonitor monitor;

    private SoakRun(SoakOptions soak, List<SinkMeter> meters, FaultInjector faults, SoakMonitor monitor) {
        this.soak = soak;
        this.meters = meters;
        this.faults = faults;
        this.monitor = monitor;
    }

    /** Starts the schedule on {@code plan}'s steady state, or returns null when this is not a soak. */
    static SoakRun start(LoadOptions o, SinkFakes fakes, RunPlan plan, RelayUnderTest relay, PrintStream out,
            Path runDir) throws IOException {
        if (o.soak.soakMs <= 0) {
            return null;
        }
        FaultWindows windows = new FaultWindows(fakes.meters.size());
        for (SinkMeter m : fakes.meters) {
            m.faultWindows(windows);
        }
        FaultInjector faults = null;
        if (o.soak.faults) {
            faults = new FaultInjector(o.soak, windows, out, plan.epochNanos);
            faults.start(fakes, plan.steadyNanos, plan.endNanos);
        }
        out.println("soak: " + o.soak.describe());
        SoakMonitor monitor = new SoakMonitor(o.soak, o.progressMs, relay, faults, out, plan.epochNanos,
                runDir.resolve("soak-memory.csv"));
        return new SoakRun(o.soak, fakes.meters, faults, monitor);
    }

    void tick(long now) {
        monitor.tick(now);
    }

    /** After the drain: the soak's figures into {@code r}. */
    void finish(RunResult r, List<SimCall> calls, MetricsText end, MetricsText base, Path runDir, boolean recorder)
            throws IOException {
        close();
        SoakResult s = new SoakResult();
        s.schedule = soak.describe();
        s.aiolaKills = faults == null ? 0 : faults.aiolaKills();
        s.stalls = faults == null ? 0 : faults.stalls();
        for (String sink : RECONNECTING) {
            double e = end.sum("relay_sink_reconnects_total", "sink", sink);
            if (!Double.isNaN(e)) {
                double b = base.sum("relay_sink_reconnects_total", "sink", sink);
                s.reconnects.put(sink, e - (Double.isNaN(b) ? 0 : b));
            }
            double u = end.sum("relay_sink_frames_unconfirmed_total", "sink", sink);
            if (!Double.isNaN(u)) {
                s.unconfirmed.put(sink, u - zeroIfNaN(base.sum("relay_sink_frames_unconfirmed_total", "sink", sink)));
            }
        }
        for (SinkMeter m : meters) {
            m.faulted().interval();
            s.faulted.put(m.name(), m.faulted().total());
            s.unplaced.put(m.name(), m.unplaced());
            s.duplicates.put(m.name(), m.duplicateFrames());
            // PCM bytes on both sides: what the relay's sink wrote against what the fake read.
            double written = end.sum("relay_sink_bytes_total", "sink", m.name())
                    - zeroIfNaN(base.sum("relay_sink_bytes_total", "sink", m.name()));
            if (!Double.isNaN(written)) {
                s.cut.put(m.name(), Math.max(0, Math.round(written) - m.bytes()) / RECORDED_FRAME_BYTES);
            }
        }
        if (recorder) {
            s.recorderExpected = 0;
            for (SimCall c : calls) {
                s.recorderExpected += c.state == SimCall.State.DONE ? c.framesPlanned() : 0;
            }
            s.recorderReceived = recordedFrames(runDir.resolve("recordings"));
            double e = end.sum("relay_frames_dropped_total", "sink", "recorder");
            double b = base.sum("relay_frames_dropped_total", "sink", "recorder");
            s.recorderDropped = Double.isNaN(e) ? Double.NaN : e - (Double.isNaN(b) ? 0 : b);
        }
        s.memory = monitor.summary();
        r.soak = s;
    }

    private static double zeroIfNaN(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    /** Whole frames in every WAV under {@code dir}, which is deleted afterwards. */
    private static long recordedFrames(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long frames = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.toString().endsWith(".wav")) {
                    frames += Math.max(0, Files.size(f) - WAV_HEADER_BYTES) / RECORDED_FRAME_BYTES;
                }
            }
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
        return frames;
    }

    @Override
    public void close() throws IOException {
        if (faults != null) {
            faults.close();
        }
        monitor.close();
    }
}
