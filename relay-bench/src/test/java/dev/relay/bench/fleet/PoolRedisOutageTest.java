package dev.relay.bench.fleet;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis killed, restarted empty, then paused ({@code CLIENT PAUSE}) under a pool carrying calls
 * (SPEC §8.3): media reaches the sinks whole throughout, local control keeps working, cluster
 * requests get 503, {@code /readyz} stays 200, {@code relay_cluster_up} says so, and once Redis is
 * back (empty) the registry is whole again. The sinks' latency per phase is recorded as a figure.
 */
@Timeout(240)
class PoolRedisOutageTest {
    /** Frames every call streams in each phase before the next one starts (2 s). */
    private static final int PHASE_FRAMES = 100;

    @Test
    void callsMediaAndLocalControlGoOnWhileRedisIsKilledAndPaused(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, "")) {
            List<PacedCall> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                PacedCall c = pool.call("steady-" + i, 6000);
                assertThat(c.awaitUpgrade(10_000)).isEqualTo(101);
                c.acked.get(10, TimeUnit.SECONDS);
                calls.add(c);
            }
            RelayNode any = pool.nodes.get(0);
            Waits.until("every call registered", 15_000, () -> pool.clusterCalls(any).size() == calls.size(),
                    () -> pool.listing(any));
            Map<String, String> owners = pool.clusterCalls(any);
            pool.watch.phase("warm-up");
            progress(calls);
            pool.watch.phase("redis up");
            progress(calls);

            pool.redis.kill();
            for (RelayNode n : pool.nodes) {
                Waits.until(n.id + " relay_cluster_up 0", 15_000, () -> pool.metric(n, "relay_cluster_up") == 0);
            }
            pool.watch.phase("redis down");
            checkDegraded(pool, calls, owners, "redis down");
            progress(calls);

            long restarted = System.nanoTime();
            pool.redis.restart();
            Waits.until("the registry whole again", 30_000, () -> pool.clusterCalls(any).equals(owners),
                    () -> pool.listing(any));
            Figures.record(String.format("registry whole again %.0f ms after an empty Redis came back"
                    + " (heartbeat %d ms)", (System.nanoTime() - restarted) / 1e6, Pool.HEARTBEAT_MS));
            pool.watch.phase("redis back");
            progress(calls);

            // A pause cannot be lifted early (CLIENT UNPAUSE waits like every other command): long
            // enough for the checks below, which take a few seconds once every node has noticed.
            pool.redis.command("CLIENT", "PAUSE", "15000", "ALL");
            pool.watch.phase("redis paused");
            // A node notices at its next Redis command: ask all of them at once, each waits one
            // command timeout and answers 503, and is then marked down.
            List<CompletableFuture<HttpResponse<String>>> asked = new ArrayList<>();
            long asking = System.nanoTime();
            for (RelayNode n : pool.nodes) {
                asked.add(pool.http(n).sendAsync(pool.http(n).builder("/v1/calls?scope=cluster").GET()));
            }
            for (CompletableFuture<HttpResponse<String>> a : asked) {
                assertThat(a.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
            }
            Figures.record(String.format("redis paused: the first cluster requests answered 503 after %.0f ms"
                    + " (command timeout %d ms)", (System.nanoTime() - asking) / 1e6, Pool.COMMAND_TIMEOUT_MS));
            for (RelayNode n : pool.nodes) {
                Waits.until(n.id + " relay_cluster_up 0 while paused", 15_000,
                        () -> pool.metric(n, "relay_cluster_up") == 0);
            }
            checkDegraded(pool, calls, owners, "redis paused");
            progress(calls);

            for (RelayNode n : pool.nodes) {
                Waits.until(n.id + " relay_cluster_up 1 after the pause", 30_000,
                        () -> pool.metric(n, "relay_cluster_up") == 1);
            }
            Waits.until("the registry whole after the pause", 30_000, () -> pool.clusterCalls(any).equals(owners),
                    () -> pool.listing(any));
            pool.watch.phase("after");
            for (PacedCall c : calls) {
                c.hangUp();
            }
            for (PacedCall c : calls) {
                assertThat(c.awaitClose(10_000)).as(c.callId).isEqualTo(1000);
            }
            Waits.until("every call whole at the sink", 15_000, () -> pool.wholeAtSink(calls),
                    () -> pool.sinkReport(calls));
            for (String phase : List.of("redis up", "redis down", "redis back", "redis paused")) {
                Figures.record(Figures.percentiles("media latency at the sink, " + phase + " (6 calls)",
                        pool.watch.latency(phase)));
            }
            for (RelayNode n : pool.nodes) {
                assertThat(n.log()).doesNotContain("concealedFrames=1", "concealedFrames=2");
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }

    /** Redis away or paused: local control, 503 for cluster requests, /readyz 200. */
    private static void checkDegraded(Pool pool, List<PacedCall> calls, Map<String, String> owners, String phase)
            throws Exception {
        for (PacedCall c : calls) {
            RelayNode owner = pool.node(owners.get(c.callId));
            assertThat(pool.http(owner).get("/v1/calls/" + c.callId).statusCode()).as("local control").isEqualTo(200);
        }
        for (RelayNode n : pool.nodes) {
            long start = System.nanoTime();
            HttpResponse<String> list = pool.http(n).get("/v1/calls?scope=cluster");
            long listNanos = System.nanoTime() - start;
            assertThat(list.statusCode()).isEqualTo(503);
            assertThat(errorCode(list)).isEqualTo("cluster_unavailable");
            PacedCall elsewhere = calls.stream().filter(c -> !owners.get(c.callId).equals(n.id)).findFirst()
                    .orElseThrow();
            start = System.nanoTime();
            HttpResponse<String> far = pool.http(n).get("/v1/calls/" + elsewhere.callId);
            long farNanos = System.nanoTime() - start;
            assertThat(far.statusCode()).isEqualTo(503);
            assertThat(errorCode(far)).isEqualTo("owner_unreachable");
            assertThat(pool.http(n).get("/readyz").statusCode()).isEqualTo(200);
            Figures.record(String.format("%s, %s: scope=cluster 503 in %.1f ms, far call 503 in %.1f ms", phase,
                    n.id, listNanos / 1e6, farNanos / 1e6));
        }
    }

    /** Waits until every call has sent {@link #PHASE_FRAMES} more frames: a phase's worth of media. */
    private static void progress(List<PacedCall> calls) throws Exception {
        int[] from = calls.stream().mapToInt(PacedCall::sent).toArray();
        Waits.until("calls streaming", 30_000, () -> {
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).sent() < from[i] + PHASE_FRAMES) {
                    return false;
                }
            }
            return true;
        });
    }
}
