package dev.relay.bench.load;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.TransportMode;
import dev.relay.core.net.TransportChoice;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One load run: start the fakes and the relay, bring {@code calls} simulated calls up over the
 * ramp, stream for the duration on the open-loop schedule, wait for the sinks to receive the last
 * frames, then collect and report. Progress goes to {@code out} every few seconds.
 */
final class LoadRun {
    private final LoadOptions o;
    private final int callCount;
    private final Path runDir;
    private final Path repoRoot;
    private final PrintStream out;
    private final boolean floor;
    private final Pinning pinning;

    /**
     * @param floor run the floor ({@code dev.relay.bench.floor}) in the relay's place
     * @param pinning the CPU split of {@code --pin} (this process already pinned), or null
     */
    LoadRun(LoadOptions o, int callCount, Path runDir, Path repoRoot, PrintStream out, boolean floor,
            Pinning pinning) {
        this.o = o;
        this.callCount = callCount;
        this.runDir = runDir;
        this.repoRoot = repoRoot;
        this.out = out;
        this.floor = floor;
        this.pinning = pinning;
    }

    RunResult run() throws Exception {
        Files.createDirectories(runDir);
        RunResult result = new RunResult();
        result.runDir = runDir;
        result.calls = callCount;
        result.durationMs = o.durationMs;
        result.warmupMs = o.warmupMs;
        result.rampMs = o.rampMsFor(callCount);
        result.loadAverageBefore = ProcStat.loadAverage();
        result.subject = floor ? "floor" : "relay";
        result.pinning = pinning;
        result.externalRelay = o.placement == LoadOptions.Placement.TARGET;
        TransportChoice transport = transport(o.transport);
        result.generatorTransport = transport.describe();

        MediaMessages messages = new MediaMessages(SpeechClip.load(SpeechClip.locate(o.testdata, repoRoot)));
        out.println("audio: " + messages.clip.source() + " (" + messages.clip.frameCount() + " frames, looped)");
        Map<String, SimCall> byId = new HashMap<>();
        List<SimCall> calls = new ArrayList<>(callCount);
        EventLoopGroup group = transport.transport().newGroup(o.loops,
                new DefaultThreadFactory(GeneratorAllocation.PACERS));
        HiccupMeter hiccups = new HiccupMeter();
        SinkFakes fakes = null;
        RelayUnderTest relay = null;
        try {
            fakes = SinkFakes.start(o, transport.transport(), id -> id == null ? null : byId.get(id));
            int sinks = fakes.meters.size();
            for (int i = 0; i < callCount; i++) {
                String id = String.format("lt%07d", i);
                long phase = (long) i * SimCall.FRAME_NANOS / callCount;
                SimCall call = new SimCall(i, id, o.seed, o.form, phase, sinks, o.lossPercent, o.reorderPercent);
                calls.add(call);
                byId.put(id, call);
            }
            relay = startRelay(fakes, byId);
            out.println("relay: " + relay.describe());
            out.println("media: " + relay.mediaUrl() + "   sinks: " + (fakes.routeSinks.isEmpty() ? "none"
                    : String.join(", ", fakes.routeSinks)));
            for (String e : fakes.endpoints) {
                out.println(e);
            }
            result.relay = relay.describe();
            drive(relay, fakes, calls, group, hiccups, messages, result);
        } finally {
            hiccups.close();
            if (relay != null) {
                relay.close();
                if (relay instanceof RelayProcess p) {
                    result.relayExit = "exit " + p.exitValue();
                    if (p.exitValue() != 0 && p.exitValue() != 143) {
                        result.warnings.add("relay exited with " + p.exitValue() + " (see relay.log)");
                    }
                }
            }
            if (fakes != null) {
                fakes.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return result;
    }

    private RelayUnderTest startRelay(SinkFakes fakes, Map<String, SimCall> byId) throws Exception {
        if (o.placement == LoadOptions.Placement.TARGET) {
            return new ExternalRelay(o);
        }
        Path tlsDir = o.out.resolve("tls").toAbsolutePath();
        RelayConfigText config = RelayConfigText.build(o, fakes.routeSinks, fakes.configBlocks, runDir.toAbsolutePath(),
                tlsDir);
        Files.writeString(runDir.resolve("relay.conf"), config.text());
        if (o.placement == LoadOptions.Placement.IN_PROCESS) {
            return floor ? InProcessFloor.start(config) : InProcessRelay.start(config, fakes.probe(), byId::get);
        }
        return RelayProcess.start(o, repoRoot, runDir.toAbsolutePath(), config, fakes.relayJvm, floor, pinning);
    }

    /** The generator's transport for {@code mode}; a named one that cannot run here is a bad argument. */
    static TransportChoice transport(TransportMode mode) {
        try {
            return TransportChoice.select(mode);
        } catch (ConfigError e) {
            throw new LoadOptions.BadArgument("--transport " + mode.label() + ": " + e.getMessage());
        }
    }

    private void drive(RelayUnderTest relay, SinkFakes fakes, List<SimCall> calls, EventLoopGroup group,
            HiccupMeter hiccups, MediaMessages messages, RunResult result) throws Exception {
        // Baselines before any call: the relay's live heap after a full GC, its CPU and log offset.
        boolean gcReadings = relay.procIsRelayOnly() && relay.forceGc();
        MetricsText base = MetricsText.parse(relay.scrape());
        if (gcReadings) {
            result.heapBaseAfterGc = heapUsed(base);
            result.directBase = direct(base);
        }
        ProcStat procStart = relay.proc();
        ProcStat selfStart = ProcStat.read("self");
        result.relayRssStart = procStart == null ? -1 : procStart.rssBytes();
        long peakRss = result.relayRssStart;

        long rampNanos = TimeUnit.MILLISECONDS.toNanos(result.rampMs);
        RunPlan plan = new RunPlan(System.nanoTime() + 200_000_000L, rampNanos,
                TimeUnit.MILLISECONDS.toNanos(o.warmupMs), TimeUnit.MILLISECONDS.toNanos(o.durationMs), calls.size());
        for (SinkMeter m : fakes.meters) {
            m.measureWindow(plan.measureFromNanos, plan.endNanos);
        }
        List<Pacer> pacers = new ArrayList<>();
        for (EventExecutor e : group) {
            pacers.add(new Pacer((EventLoop) e, new FrameWriter(messages), plan.lag,
                    TimeUnit.MICROSECONDS.toNanos(o.tickUs)));
        }
        BotAudio bot = null;
        if (o.playEveryMs > 0) {
            if (relay.controlUrl() == null) {
                throw new LoadOptions.BadArgument("--play-every needs the relay's control API (--target-control with "
                        + "--target)");
            }
            bot = new BotAudio(relay.controlUrl(), BotAudio.clipUlaw(messages.clip, o.playMs));
            plan.botAudio = bot;
            bot.start(calls, TimeUnit.NANOSECONDS.toMillis(plan.steadyNanos - System.nanoTime()) + 500, o.playEveryMs);
        }
        AlohaaClients clients = new AlohaaClients(relay.mediaUrl(), o.sourceIpsFor(calls.size()), plan);
        for (SimCall call : calls) {
            Pacer pacer = pacers.get(call.index % pacers.size());
            long at = plan.epochNanos + (calls.size() <= 1 ? 0 : rampNanos * call.index / calls.size());
            pacer.loop().schedule(() -> clients.connect(call, pacer), Math.max(0, at - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        }
        out.printf("run: %d calls, ramp %.1f s, %s streaming (first %s warm-up), form %s, loss %.1f%%, reorder "
                + "%.1f%%, tls %s%n",
                calls.size(), result.rampMs / 1000.0, Report.seconds(o.durationMs), Report.seconds(o.warmupMs),
                o.form.name().toLowerCase(Locale.ROOT), o.lossPercent, o.reorderPercent, o.tls ? "on" : "off");

        Progress progress = new Progress(out, plan, calls, fakes.meters, hiccups.metric(), relay,
                runDir.resolve("samples.tsv"));
        SoakRun soak = SoakRun.start(o, fakes, plan, relay, out, runDir);
        long nextProgress = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.progressMs);
        ProcStat procMeasure = null;
        ProcStat procEnd = null;
        CoreTimes coresMeasure = null;
        long pacerAllocMeasure = -1;
        long fakeAllocMeasure = -1;
        ProcStat selfMeasure = null;
        ProcStat selfEnd = null;
        long sentAtMeasure = 0;
        Map<String, Long> threadsMeasure = Map.of();
        MetricsText metricsMeasure = null;
        long logMeasure = 0;
        long logEnd = 0;
        boolean heapChecked = false;
        long heapCheckAt = plan.steadyNanos + (plan.measureFromNanos - plan.steadyNanos) / 2;
        while (true) {
            long now = System.nanoTime();
            if (procMeasure == null && now >= plan.measureFromNanos) {
                procMeasure = relay.proc();
                selfMeasure = ProcStat.read("self");
                coresMeasure = CoreTimes.read();
                pacerAllocMeasure = GeneratorAllocation.bytes(GeneratorAllocation.PACERS);
                fakeAllocMeasure = GeneratorAllocation.bytes(GeneratorAllocation.FAKES);
                sentAtMeasure = sent(calls);
                threadsMeasure = relay.pid() == null ? Map.of() : ProcStat.threadGroups(relay.pid());
                metricsMeasure = MetricsText.parse(relay.scrape());
                logMeasure = JvmLog.length(relay.jvmLog());
            }
            if (gcReadings && !heapChecked && now >= heapCheckAt && o.warmupMs >= 2000) {
                // During the warm-up (not measured): every call is up, so the live heap is the loaded one.
                heapChecked = true;
                relay.forceGc();
                MetricsText m = MetricsText.parse(relay.scrape());
                result.heapLoadedAfterGc = heapUsed(m);
                result.callsAtHeapCheck = (int) calls.stream().filter(c -> c.state == SimCall.State.STREAMING).count();
                result.directLoaded = direct(m);
                result.nettyDirectLoaded = m.sum("relay_netty_direct_memory_used_bytes");
            }
            if (procEnd == null && now >= plan.endNanos) {
                // End of the measured window; the calls now hang up over the ramp-down.
                procEnd = relay.proc();
                selfEnd = ProcStat.read("self");
                result.framesInWindow = sent(calls) - sentAtMeasure;
                CoreTimes coresEnd = CoreTimes.read();
                if (coresMeasure != null && coresEnd != null) {
                    result.coreBusy = coresEnd.busySince(coresMeasure);
                }
                long pacerAlloc = GeneratorAllocation.bytes(GeneratorAllocation.PACERS);
                long fakeAlloc = GeneratorAllocation.bytes(GeneratorAllocation.FAKES);
                if (pacerAllocMeasure >= 0 && pacerAlloc >= 0) {
                    result.pacerAllocBytes = pacerAlloc - pacerAllocMeasure;
                    result.fakeAllocBytes = fakeAlloc - fakeAllocMeasure;
                }
                if (relay.pid() != null) {
                    Map<String, Long> threadsEnd = ProcStat.threadGroups(relay.pid());
                    for (Map.Entry<String, Long> e : threadsEnd.entrySet()) {
                        long d = e.getValue() - threadsMeasure.getOrDefault(e.getKey(), 0L);
                        if (d > 0) {
                            result.relayThreads.put(e.getKey(), d);
                        }
                    }
                }
                logEnd = JvmLog.length(relay.jvmLog());
            }
            if (now >= plan.lastHangUpNanos()) {
                break;
            }
            if (soak != null) {
                soak.tick(now);
            }
            if (!relay.alive()) {
                result.relayCrashed = true;
                break;
            }
            if (now >= nextProgress) {
                ProcStat p = progress.print(now);
                if (p != null) {
                    peakRss = Math.max(peakRss, p.rssBytes());
                }
                nextProgress += TimeUnit.MILLISECONDS.toNanos(o.progressMs);
            }
            Thread.sleep(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(
                    Math.min(nextProgress,
                    procEnd == null ? plan.endNanos : plan.lastHangUpNanos()) - System.nanoTime()))));
        }
        if (procEnd == null) {
            procEnd = relay.proc();
            selfEnd = ProcStat.read("self");
            logEnd = JvmLog.length(relay.jvmLog());
        }
        // The last frames: wait until every sink has every frame of every call, or the drain time.
        long drainEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(o.drainMs);
        while (System.nanoTime() < drainEnd && !complete(calls, fakes.meters) && !result.relayCrashed) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
        ProcStat procAfter = relay.proc();
        if (procAfter != null) {
            peakRss = Math.max(peakRss, procAfter.rssBytes());
        }
        MetricsText end = MetricsText.parse(relay.scrape());
        result.relayCrashed |= !relay.alive();
        if (gcReadings && relay.alive()) {
            Thread.sleep(500);
            relay.forceGc();
            MetricsText idle = MetricsText.parse(relay.scrape());
            result.heapIdleAfterGc = heapUsed(idle);
            result.directEnd = direct(idle);
        }
        progress.close();
        result.memory = progress.memory;
        if (bot != null) {
            bot.close();
            bot.latency().interval();
            result.audioBack = bot.latency().total();
            result.playsPosted = bot.posted();
            result.playsFailed = bot.failed();
        }

        // Relay CPU over the measured window (after warm-up, before the drain).
        result.windowSeconds = (plan.endNanos - plan.measureFromNanos) / 1e9;
        result.relayTransport = Objects.toString(base.label("relay_transport_info", "transport"), "");
        if (procMeasure != null && procEnd != null) {
            double windowS = result.windowSeconds;
            result.relayCpuSeconds = (procEnd.cpuNanos() - procMeasure.cpuNanos()) / 1e9;
            result.relayCpuShareOfOneCore = result.relayCpuSeconds / windowS;
            result.relayKernelCpuSeconds = (procEnd.systemNanos() - procMeasure.systemNanos()) / 1e9;
            // Call-seconds actually streamed in the window (calls that never came up do not count).
            double callSeconds = result.framesInWindow * (SimCall.FRAME_NANOS / 1e9);
            result.relayCpuPerCallSecondMicros = callSeconds > 0 ? result.relayCpuSeconds * 1e6 / callSeconds
                    : Double.NaN;
            result.relayCpuIsWholeProcess = !relay.procIsRelayOnly();
        }
        result.relayRssPeak = peakRss;
        result.relayRssEnd = procAfter == null ? -1 : procAfter.rssBytes();
        result.heapUsedEnd = heapUsed(end);
        if (metricsMeasure != null && !end.isEmpty()) {
            result.concealed = delta(end, base, "relay_frames_concealed_total");
            result.reordered = delta(end, base, "relay_rtp_reordered_total");
            result.ingressDropped = delta(end, base, "relay_ingress_dropped_total");
            result.late = delta(end, base, "relay_rtp_late_total");
        }
        if (relay.jvmLog() != null) {
            result.gc = JvmLog.read(relay.jvmLog(), logMeasure, logEnd);
        }
        ProcStat selfAfter = ProcStat.read("self");
        if (selfStart != null && selfAfter != null) {
            result.generatorCpuSeconds = (selfAfter.cpuNanos() - selfStart.cpuNanos()) / 1e9;
        }
        if (selfMeasure != null && selfEnd != null) {
            result.generatorWindowCpuSeconds = (selfEnd.cpuNanos() - selfMeasure.cpuNanos()) / 1e9;
        }
        collect(result, plan, calls, fakes, hiccups, end, base);
        if (soak != null) {
            soak.finish(result, calls, end, base, runDir, fakes.routeSinks.contains("recorder"));
        }
    }

    private static long sent(List<SimCall> calls) {
        long n = 0;
        for (SimCall c : calls) {
            n += c.framesSent;
        }
        return n;
    }

    private static boolean complete(List<SimCall> calls, List<SinkMeter> meters) {
        for (SimCall c : calls) {
            if (c.state != SimCall.State.DONE && c.state != SimCall.State.FAILED) {
                return false;
            }
            if (c.state == SimCall.State.DONE) {
                for (SinkMeter m : meters) {
                    if (c.sinkFrames[m.index()] < c.framesPlanned()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private void collect(RunResult r, RunPlan plan, List<SimCall> calls, SinkFakes fakes, HiccupMeter hiccups,
            MetricsText end, MetricsText base) {
        r.registered = plan.registeredCount();
        Map<String, Integer> reasons = new HashMap<>();
        for (SimCall c : calls) {
            r.framesPlanned += c.state == SimCall.State.DONE ? c.framesPlanned() : 0;
            r.framesSent += c.framesSent;
            r.framesDroppedOnPurpose += c.framesDropped;
            r.framesReordered += c.framesReordered;
            r.framesBlocked += c.framesBlocked;
            r.botMessages += c.botMessages;
            r.botBytes += c.botBytes;
            if (c.state != SimCall.State.DONE) {
                r.failed++;
                reasons.merge(c.failure == null ? "not finished (" + c.state + ")" : c.failure, 1, Integer::sum);
            }
        }
        reasons.forEach((why, n) -> r.failures.add(n + " × " + why));
        for (SinkMeter m : fakes.meters) {
            RunResult.SinkResult s = new RunResult.SinkResult();
            s.name = m.name();
            m.latency().interval();
            m.warmup().interval();
            s.latency = m.latency().total();
            s.warmup = m.warmup().total();
            for (SimCall c : calls) {
                if (c.state == SimCall.State.DONE) {
                    s.framesExpected += c.framesPlanned();
                    s.framesReceived += Math.min(c.framesPlanned(), c.sinkFrames[m.index()]);
                    if (c.sinkFrames[m.index()] < c.framesPlanned()) {
                        s.callsShort++;
                    }
                }
            }
            s.chunks = m.chunks();
            s.bytes = m.bytes();
            s.misaligned = m.misaligned();
            s.unknownCalls = m.unknownCalls();
            s.slowAtEnd = m.slowAtEnd();
            s.slowElsewhere = m.slowElsewhere();
            if (!end.isEmpty() && !m.name().equals("probe")) {
                s.relayDropped = delta(end, base, "relay_frames_dropped_total", "sink", m.name());
            }
            r.sinks.add(s);
        }
        plan.registration.interval();
        plan.connect.interval();
        plan.tcp.interval();
        plan.tls.interval();
        plan.upgrade.interval();
        r.tcp = plan.tcp.total();
        r.tls = plan.tls.total();
        r.upgrade = plan.upgrade.total();
        plan.lag.interval();
        hiccups.metric().interval();
        r.registration = plan.registration.total();
        r.connect = plan.connect.total();
        r.lag = plan.lag.total();
        r.hiccups = hiccups.metric().total();
    }

    private static double delta(MetricsText end, MetricsText base, String name, String... labels) {
        double e = end.sum(name, labels);
        double b = base.sum(name, labels);
        if (Double.isNaN(e)) {
            return Double.NaN;
        }
        return e - (Double.isNaN(b) ? 0 : b);
    }

    static double heapUsed(MetricsText m) {
        return m.sum("jvm_memory_used_bytes", "area", "heap");
    }

    static double direct(MetricsText m) {
        return m.sum("jvm_buffer_pool_used_bytes", "pool", "direct");
    }

    static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text);
    }
}
