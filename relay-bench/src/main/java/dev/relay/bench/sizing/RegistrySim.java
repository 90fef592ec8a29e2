package dev.relay.bench.sizing;

import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.Clusters;
import dev.relay.core.cluster.NodeIdentity;
import dev.relay.core.cluster.NodeState;
import dev.relay.core.cluster.NodeStatus;
import dev.relay.core.config.ClusterConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sizing simulation ({@code scripts/sizing}): a day of call arrivals ({@link ArrivalModel})
 * replayed against the cluster's own Redis engine ({@link Clusters#create}, one per simulated
 * node, on one Netty loop group as in a relay) and a real {@code redis-server}; Redis's own
 * counters, sampled every second, give commands per second and memory. See {@link SizingOptions}
 * for the parameters and {@link SizingResult} for what it reports.
 *
 * <p>Single-threaded driver ({@link SimDriver}) plus one sampling thread; everything it starts
 * (loops, engines, the Redis it started) is stopped before {@link #run} returns.
 */
public final class RegistrySim {
    private RegistrySim() {}

    public static void main(String[] args) throws Exception {
        SizingOptions o;
        try {
            o = SizingOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (o.help) {
            System.out.print(SizingOptions.HELP);
            return;
        }
        SizingResult r = run(o, System.out);
        System.out.print(r.report());
        System.exit(r.errors() == 0 ? 0 : 1);
    }

    /** Runs one simulation; progress lines go to {@code progress}. */
    static SizingResult run(SizingOptions o, PrintStream progress) throws Exception {
        LocalRedis own = o.redisUrl == null ? LocalRedis.start() : null;
        String url = own != null ? own.url() : o.redisUrl;
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sizing-sampler");
            t.setDaemon(true);
            return t;
        });
        List<Cluster> nodes = new ArrayList<>();
        try (RedisProbe probe = awaitRedis(url)) {
            probe.flush();
            AtomicInteger live = new AtomicInteger();
            for (int i = 0; i < o.nodes; i++) {
                String id = "sim-node-" + (i + 1);
                ClusterConfig config = new ClusterConfig(true, url, "", id, "", o.heartbeatMs, 2000);
                NodeIdentity identity = new NodeIdentity(id, "http://127.0.0.1:9/" + id, "sizing");
                int index = i;
                Cluster c = Clusters.create(config, identity, loops,
                        () -> new NodeStatus(NodeState.READY, live.get() / o.nodes, 20_000), e -> { });
                nodes.add(c);
                c.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
                if (!c.up()) {
                    throw new IllegalStateException("node " + index + " could not join Redis at " + url);
                }
            }
            ArrivalModel model = new ArrivalModel(o.peakCalls, o.meanDurationS, o.sigma, o.trough, o.peakAtS, o.seed);
            SimDriver driver = new SimDriver(nodes, model, o.speed, live);
            Sampler samples = new Sampler(probe, driver);
            long idleMs = Math.max(5000, 2 * o.heartbeatMs);
            progress.printf("sizing: %d nodes joined; measuring idle commands for %d ms%n", o.nodes, idleMs);
            double idlePerS = samples.idleRate(idleMs);
            long memBaseline = probe.usedMemoryBytes();
            progress.printf("sizing: registering the %.0f calls up at %s%n", model.concurrencyAt(o.fromS),
                    SizingResult.clock(o.fromS));
            driver.preload(o.fromS);
            double cpuBefore = probe.cpuSeconds();
            long cmdsBefore = probe.clientCommands();
            long allBefore = probe.commandsProcessed();
            progress.printf("sizing: replaying %s-%s at %.0fx (%.0f s)%n", SizingResult.clock(o.fromS),
                    SizingResult.clock(o.toS), o.speed, (o.toS - o.fromS) / o.speed);
            sampler.scheduleAtFixedRate(samples::sample, 1, 1, TimeUnit.SECONDS);
            long startNs = System.nanoTime();
            driver.replay(o.fromS, o.toS);
            double wallS = (System.nanoTime() - startNs) / 1e9;
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            double cpuS = probe.cpuSeconds() - cpuBefore;
            long cmds = probe.clientCommands() - cmdsBefore;
            long all = probe.commandsProcessed() - allBefore;
            return new SizingResult(o, driver, samples, idlePerS, memBaseline, cpuS, cmds, all, wallS);
        } finally {
            sampler.shutdownNow();
            List<CompletableFuture<Void>> stops = new ArrayList<>();
            for (Cluster c : nodes) {
                stops.add(c.stop().toCompletableFuture());
            }
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            if (own != null) {
                own.close();
            }
        }
    }

    /** A probe once Redis answers (a Redis just started takes a moment to listen). */
    private static RedisProbe awaitRedis(String url) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return new RedisProbe(url);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
