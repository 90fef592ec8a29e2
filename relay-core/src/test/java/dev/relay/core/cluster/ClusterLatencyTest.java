package dev.relay.core.cluster;

import static dev.relay.core.cluster.ClusterRig.call;
import static dev.relay.core.cluster.ClusterRig.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.cluster.ClusterRig.Node;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.RedisServer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The latency harness of the cluster engine on loopback, run in every build with a small count
 * and by hand with a larger one:
 * <pre>
 * mvn -B -q -pl relay-core -am verify -Dtest=ClusterLatencyTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dcluster.latency.ops=20000
 * </pre>
 * Closed loop, one operation at a time, timed from the call to the completion of its stage (on
 * the Redis connection's loop); events from {@code publish} on one node to the subscriber on
 * another. Prints p50/p99/max per operation and the Redis commands each cost
 * ({@code INFO commandstats}). Asserts only that every operation succeeded: no timing is asserted.
 */
@Timeout(300)
class ClusterLatencyTest {
    private static final int OPS = Integer.getInteger("cluster.latency.ops", 2000);
    private static final int WARMUP = Math.min(500, OPS);

    @Test
    void claimOwnerAndEventRoundTripsOnLoopback() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            // Long beats: heartbeats stay out of the command counts.
            Node a = rig.start("node-a", 600_000, 5000);
            Node b = rig.start("node-b", 600_000, 5000);
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "cluster engine latency on loopback, %d ops each (redis-server %s, shared %s loops)%n",
                    OPS, redis.command("INFO", "server").toString().lines().filter(l -> l.startsWith("redis_version"))
                            .findFirst().orElse("?"), a.cluster.sharesLoops() ? "epoll" : "no"));

            measure(report, redis, "claim", OPS, i -> a.cluster.claim(call("w-" + i)),
                    i -> a.cluster.claim(call("m-" + i)),
                    r -> assertThat(r.outcome()).isEqualTo(Claim.Outcome.CLAIMED));
            measure(report, redis, "owner lookup", OPS, i -> b.cluster.owner("w-" + i), i -> b.cluster.owner("m-" + i),
                    r -> assertThat(r.outcome()).isEqualTo(Owner.Outcome.ALIVE));
            measure(report, redis, "unregister", OPS, i -> a.cluster.unregister("w-" + i),
                    i -> a.cluster.unregister("m-" + i), r -> { });
            events(report, redis, a, b);
            System.out.print(report);
        }
    }

    private static <T> void measure(StringBuilder report, RedisServer redis, String name, int ops,
            IntFunction<CompletionStage<T>> warm, IntFunction<CompletionStage<T>> op,
            Consumer<T> check) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            check.accept(get(warm.apply(i)));
        }
        redis.command("CONFIG", "RESETSTAT");
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (int i = 0; i < ops; i++) {
            long t0 = System.nanoTime();
            CompletableFuture<Long> done = op.apply(i).toCompletableFuture().thenApply(r -> {
                long t = System.nanoTime() - t0;
                check.accept(r);
                return t;
            });
            h.recordValue(get(done));
        }
        line(report, name, h, commands(redis), ops);
    }

    private static void events(StringBuilder report, RedisServer redis, Node from, Node to) throws Exception {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        Semaphore arrived = new Semaphore(0);
        boolean[] recording = {false};
        to.cluster.subscribe(e -> {
            if (e.event().type().equals("latency")) {
                if (recording[0]) {
                    h.recordValue(System.nanoTime() - ((Number) e.event().data().get("sentNanos")).longValue());
                }
                arrived.release();
            }
        });
        for (int phase = 0; phase < 2; phase++) {
            recording[0] = phase == 1;
            if (phase == 1) {
                redis.command("CONFIG", "RESETSTAT");
            }
            int n = phase == 0 ? WARMUP : OPS;
            for (int i = 0; i < n; i++) {
                from.cluster.publish(new CallEvent("latency", "e-" + i, 0, Map.of("sentNanos", System.nanoTime())));
                assertThat(arrived.tryAcquire(ClusterRig.WAIT_MS, TimeUnit.MILLISECONDS)).as("event " + i).isTrue();
            }
        }
        line(report, "event delivery", h, commands(redis), OPS);
    }

    private static void line(StringBuilder report, String name, Histogram h, Map<String, Long> commands, int ops) {
        StringBuilder perOp = new StringBuilder();
        commands.forEach((cmd, n) -> perOp.append(String.format(Locale.ROOT, " %s=%.2f", cmd, (double) n / ops)));
        report.append(String.format(Locale.ROOT, "  %-15s p50 %7.1f us  p99 %7.1f us  max %8.1f us  commands/op:%s%n",
                name, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0,
                h.getMaxValue() / 1000.0, perOp));
    }

    /** Calls per command since the last CONFIG RESETSTAT, from INFO commandstats (the INFO itself left out). */
    private static Map<String, Long> commands(RedisServer redis) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        for (String line : redis.command("INFO", "commandstats").toString().split("\r\n")) {
            if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info") && !line.startsWith("cmdstat_config")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
                out.put(name, Long.parseLong(calls));
            }
        }
        return out;
    }
}
