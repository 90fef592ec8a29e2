package dev.relay.bench.fakes;

import com.sun.management.OperatingSystemMXBean;
import com.typesafe.config.ConfigFactory;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.TransportChoice;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallAudio;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.sessionstream.SessionStreamSinkFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * How much N concurrent session-stream sessions cost: N real {@code session-stream} sinks (the
 * relay's client) fed a 20 ms frame each every 20 ms, open loop, into one {@link FakeSessionStream}
 * in the same process. Reports the CPU of the sink loops and of the fake's loops per session,
 * heap, and the latency from a frame's scheduled time to its arrival at the fake (the frame's
 * and the session's index ride in its first four samples). The telephony side is not involved: for the whole relay
 * use the load generator.
 *
 * <pre>java -cp relay-bench/target/relay-bench.jar dev.relay.bench.fakes.SessionStreamLoad \
 *     --sessions 1000 --seconds 30 --wire raw --sink-threads 1 --fake-threads 1</pre>
 */
public final class SessionStreamLoad {
    private SessionStreamLoad() {}

    public static void main(String[] args) throws Exception {
        int sessions = 500;
        int seconds = 20;
        String wire = "raw";
        int sinkThreads = 1;
        int fakeThreads = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sessions" -> sessions = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--wire" -> wire = args[++i];
                case "--sink-threads" -> sinkThreads = Integer.parseInt(args[++i]);
                case "--fake-threads" -> fakeThreads = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: SessionStreamLoad [--sessions N] [--seconds S] [--wire raw|envelope]"
                            + " [--sink-threads N] [--fake-threads N]");
                    System.exit(2);
                }
            }
        }
        run(sessions, seconds, wire, sinkThreads, fakeThreads);
        System.exit(0);
    }

    private static void run(int sessions, int seconds, String wire, int sinkThreads, int fakeThreads) throws Exception {
        int framesPerSession = seconds * 50;
        long[][] scheduled = new long[sessions][framesPerSession];
        ConcurrentHistogram latencyUs = new ConcurrentHistogram(1, TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong received = new AtomicLong();
        FakeSessionStream fake = FakeSessionStream.builder().threads(fakeThreads).recordAudio(false).pendingPolls(0)
                .listener((session, offset, ts, pcm, arrival) -> {
                    int at = pcm.readerIndex();
                    int index = pcm.getUnsignedShortLE(at) | pcm.getUnsignedShortLE(at + 2) << 16;
                    int call = pcm.getUnsignedShortLE(at + 4) | pcm.getUnsignedShortLE(at + 6) << 16;
                    if (index < framesPerSession) {
                        latencyUs.recordValue(Math.max(1, (arrival - scheduled[call][index]) / 1000));
                    }
                    received.incrementAndGet();
                })
                .start();
        RelayConfig config = RelayConfig.from(ConfigFactory.parseString("""
                relay.sinks.session-stream {
                  base-url = "%s"
                  wire = %s
                  result-poll-interval = 100ms
                }
                """.formatted(fake.baseUrl(), wire)).withFallback(ConfigFactory.defaultReference()).resolve());
        SessionStreamSinkFactory factory = SessionStreamSinkFactory.from(config);
        EventLoopGroup loops = TransportChoice.processDefault().transport().newGroup(sinkThreads,
                new DefaultThreadFactory("sink-io"));
        EventBus bus = new EventBus();
        AtomicInteger results = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        bus.subscribe((CallEvent e) -> {
            if (e.type().equals("session.result")) {
                results.incrementAndGet();
            } else if (e.type().equals("session.error") || e.type().equals("sink.down")) {
                errors.incrementAndGet();
            }
        });
        List<Sink> sinks = new ArrayList<>();
        for (int c = 0; c < sessions; c++) {
            CallContext call = new CallContext(Integer.toString(c), "default", "", System.currentTimeMillis(), bus,
                    loops.next(), CallAudio.NONE);
            Sink sink = factory.create(call);
            sink.open(call);
            sinks.add(sink);
        }
        // Measure the steady state: every session created and its upload socket open.
        long setupUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (fake.openUploads() < sessions && System.nanoTime() < setupUntil) {
            Thread.sleep(20);
        }
        System.out.printf("  %d upload sockets open%n", fake.openUploads());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        AudioSpan frame = new AudioSpan();
        ScheduledExecutorService media = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("media"));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        long[] cpuBefore = cpu(threads);
        long processBefore = processCpuNanos();
        long wallBefore = System.nanoTime();
        AtomicInteger tick = new AtomicInteger();
        AtomicLong maxLateNs = new AtomicLong();
        final int n = sessions;
        media.scheduleAtFixedRate(() -> {
            int t = tick.getAndIncrement();
            if (t >= framesPerSession) {
                return;
            }
            long intended = start + t * 20_000_000L;
            long late = System.nanoTime() - intended;
            if (late > maxLateNs.get()) {
                maxLateNs.set(late);
            }
            for (int c = 0; c < n; c++) {
                scheduled[c][t] = intended;
                frame.pcm16k()[0] = (short) t;
                frame.pcm16k()[1] = (short) (t >>> 16);
                frame.pcm16k()[2] = (short) c;
                frame.pcm16k()[3] = (short) (c >>> 16);
                frame.set(t * 320L, 320, intended, false);
                sinks.get(c).onAudio(frame);
            }
        }, TimeUnit.NANOSECONDS.toMicros(start - System.nanoTime()), 20_000, TimeUnit.MICROSECONDS);
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(start - System.nanoTime()) + seconds * 1000L + 200);
        // Let what is still queued or in socket buffers arrive before the CPU is read and the calls end.
        long expected = (long) sessions * framesPerSession;
        long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.get() + sinks.stream().mapToLong(Sink::framesDropped).sum() < expected
                && System.nanoTime() < drainUntil) {
            Thread.sleep(20);
        }
        long[] cpuAfter = cpu(threads);
        long receivedBeforeEnd = received.get();
        long droppedBeforeEnd = sinks.stream().mapToLong(Sink::framesDropped).sum();
        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        double processCores = (processCpuNanos() - processBefore) / 1e9 / wallSeconds;
        double loadAverage = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        media.shutdown();
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        for (Sink s : sinks) {
            s.close("load done");
        }
        long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (results.get() + errors.get() < sessions && System.nanoTime() < waitUntil) {
            Thread.sleep(20);
        }
        double sinkCpuMs = (cpuAfter[0] - cpuBefore[0]) / 1e6;
        double fakeCpuMs = (cpuAfter[1] - cpuBefore[1]) / 1e6;
        double mediaCpuMs = (cpuAfter[2] - cpuBefore[2]) / 1e6;
        System.out.printf("session-stream load: %d sessions, %s wire, %d s, %d sink loop(s), %d fake loop(s)%n",
                sessions, wire, seconds, sinkThreads, fakeThreads);
        System.out.printf("  frames: sent %d, received by the fake %d, dropped by the sinks %d%n",
                expected, receivedBeforeEnd, droppedBeforeEnd);
        System.out.printf("  CPU over %.1f s: sink loops %.1f%% of a core (%.2f us/frame), fake loops %.1f%% (%.2f "
                + "us/frame),"
                        + " media thread %.1f%%%n", wallSeconds,
                sinkCpuMs / (wallSeconds * 10.0), sinkCpuMs * 1000 / Math.max(1, receivedBeforeEnd),
                fakeCpuMs / (wallSeconds * 10.0), fakeCpuMs * 1000 / Math.max(1, receivedBeforeEnd),
                mediaCpuMs / (wallSeconds * 10.0));
        System.out.printf("  media thread at most %.1f ms behind schedule; whole process %.2f cores;"
                + " system load average %.1f on %d cores%n", maxLateNs.get() / 1e6, processCores, loadAverage,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("  heap after GC %d MiB; results %d, errors %d%n", heapMb, results.get(), errors.get());
        System.out.printf("  latency scheduled→fake (us): p50 %d, p99 %d, p99.9 %d, max %d%n",
                latencyUs.getValueAtPercentile(50), latencyUs.getValueAtPercentile(99),
                latencyUs.getValueAtPercentile(99.9), latencyUs.getMaxValue());
        factory.shutdown(5000);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        fake.close();
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean sun
                ? sun.getProcessCpuTime() : 0;
    }

    /** CPU nanoseconds of [sink loops, fake loops, media thread]. */
    private static long[] cpu(ThreadMXBean mx) {
        long[] sum = new long[3];
        for (long id : mx.getAllThreadIds()) {
            ThreadInfo info = mx.getThreadInfo(id);
            if (info == null) {
                continue;
            }
            String name = info.getThreadName();
            long t = mx.getThreadCpuTime(id);
            if (t < 0) {
                continue;
            }
            if (name.startsWith("sink-io")) {
                sum[0] += t;
            } else if (name.startsWith("multiThreadIoEventLoopGroup")) {
                sum[1] += t;
            } else if (name.startsWith("media")) {
                sum[2] += t;
            }
        }
        return sum;
    }
}
