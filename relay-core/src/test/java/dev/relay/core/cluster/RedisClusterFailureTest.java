package dev.relay.core.cluster;

import static dev.relay.core.cluster.ClusterRig.await;
import static dev.relay.core.cluster.ClusterRig.awaitBeats;
import static dev.relay.core.cluster.ClusterRig.call;
import static dev.relay.core.cluster.ClusterRig.failure;
import static dev.relay.core.cluster.ClusterRig.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.cluster.ClusterRig.Node;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.RedisServer;
import io.lettuce.core.RedisCommandTimeoutException;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis engine when things go wrong: a node dies, Redis dies, comes back empty, or is paused.
 * Every wait is a bounded condition; no test asserts how long anything took.
 */
@Timeout(90)
class RedisClusterFailureTest {
    /** Short beats where expiry is under test: a node is dead 600 ms after its last beat. */
    private static final long SHORT_BEAT_MS = 200;

    @Test
    void aDeadNodesCallsAreReportedLostOnceByOneSurvivor() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            Node a = rig.start("node-a", SHORT_BEAT_MS, 2000);
            Node b = rig.start("node-b", SHORT_BEAT_MS, 2000);
            Node c = rig.start("node-c", SHORT_BEAT_MS, 2000);
            List<String> ids = List.of("lost-1", "lost-2", "lost-3", "lost-4", "lost-5");
            for (String id : ids) {
                assertThat(get(a.cluster.claim(call(id))).outcome()).isEqualTo(Claim.Outcome.CLAIMED);
            }
            get(a.cluster.halt());

            await("five call.lost among the survivors", () -> lost(b).size() + lost(c).size() == ids.size());
            Node reaper = lost(b).isEmpty() ? c : b;
            Node other = reaper == b ? c : b;
            assertThat(lost(reaper)).extracting(CallEvent::callId).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(lost(reaper)).allSatisfy(e -> assertThat(e.data()).containsEntry("owner", "node-a"));
            // The other survivor hears of them on the cluster channel, from the reaper.
            await("the other survivor hears of five losses", () -> lostHeard(other).size() == ids.size());
            assertThat(lostHeard(other)).extracting(ClusterEvent::node).containsOnly(reaper.id());
            // Several beats later nobody has reported anything twice, and a is gone.
            awaitBeats(b, 3);
            awaitBeats(c, 3);
            assertThat(lost(b).size() + lost(c).size()).isEqualTo(ids.size());
            assertThat(lost(other)).isEmpty();
            assertThat(get(b.cluster.nodes())).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-b", "node-c");
            for (String id : ids) {
                assertThat(get(c.cluster.owner(id))).isEqualTo(Owner.notFound());
            }
            assertThat(redis.command("HLEN", Keys.nodeLost(reaper.id()))).as("reported and acknowledged").isEqualTo(0L);
        }
    }

    @Test
    void anExpiredHoldersCallIsOwnerExpiredUntilReaped() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            // Long beats: nobody reaps within the test, so the expired registration stays visible.
            Node a = rig.start("node-a", 60_000, 2000);
            Node b = rig.start("node-b", 60_000, 2000);
            get(a.cluster.claim(call("x-1")));
            get(a.cluster.halt());
            redis.command("DEL", Keys.node("node-a"));

            assertThat(get(b.cluster.owner("x-1"))).isEqualTo(Owner.expired("node-a"));
            assertThat(get(b.cluster.nodes())).filteredOn(n -> n.id().equals("node-a")).singleElement()
                    .isEqualTo(NodeInfo.expired("node-a"));
            assertThat(get(b.cluster.calls())).as("an expired node's calls are not live").isEmpty();
            // The id is free again for a live node: the caller reconnected elsewhere.
            assertThat(get(b.cluster.claim(call("x-1"))).outcome()).isEqualTo(Claim.Outcome.CLAIMED);
        }
    }

    @Test
    void callsOfAnEarlierRunAreReportedLostWhenTheNodeComesBack() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            Node first = rig.start("node-a", 60_000, 2000);
            get(first.cluster.claim(call("old-1")));
            get(first.cluster.claim(call("old-2")));
            get(first.cluster.halt());

            Node second = rig.start("node-a", 60_000, 2000);
            assertThat(second.local).extracting(CallEvent::callId).containsExactlyInAnyOrder("old-1", "old-2");
            assertThat(get(second.cluster.calls())).isEmpty();
        }
    }

    @Test
    void redisKilledOperationsFailFastAndNothingBlocks() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            Node a = rig.start("node-a", 1000, 2000);
            get(a.cluster.claim(call("k-1")));
            redis.kill();
            await("a notices Redis is gone", () -> !a.cluster.up());

            // Answered without asking Redis: every stage is complete when the call returns, on the
            // caller's thread, even on an event loop.
            EventExecutor loop = rig.loops.next();
            Future<List<CompletionStage<?>>> fromLoop = loop.submit(() -> List.of(
                    a.cluster.claim(call("k-2")), a.cluster.owner("k-1"), a.cluster.nodes(), a.cluster.calls(),
                    a.cluster.putPending("k-3", new PendingCall("default", null)), a.cluster.unregister("k-1")));
            assertThat(fromLoop.await(ClusterRig.WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            List<CompletionStage<?>> stages = fromLoop.getNow();
            assertThat(stages).allSatisfy(s -> assertThat(s.toCompletableFuture()).isDone());
            assertThat(get(stages.get(0))).isEqualTo(Claim.unavailable());
            assertThat(get(stages.get(1))).isEqualTo(Owner.unavailable());
            for (CompletionStage<?> s : stages.subList(2, 6)) {
                assertThat(failure(s)).isInstanceOf(ClusterUnavailableException.class);
            }
            a.cluster.publish(CallEvent.of("call.started", "k-2", Map.of()));
            assertThat(a.cluster.eventsDropped()).isEqualTo(1);
            // The loops stay free for everything else meanwhile.
            for (EventExecutor e : rig.loops) {
                assertThat(e.submit(() -> true).await(ClusterRig.WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            }
        }
    }

    @Test
    void redisRestartedEmptyGetsTheNodeAndItsCallsBackByReconnectNotByTheNextBeat() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            // A heartbeat longer than any wait here: recovery has to come from the reconnect.
            Node a = rig.start("node-a", 120_000, 2000);
            Node b = rig.start("node-b", 120_000, 2000);
            get(a.cluster.claim(call("r-1")));
            get(a.cluster.claim(call("r-2")));
            get(b.cluster.claim(call("r-3")));
            redis.kill();
            await("a notices", () -> !a.cluster.up());
            await("b notices", () -> !b.cluster.up());
            // Local life goes on: a call ends, another starts local-only.
            assertThat(failure(a.cluster.unregister("r-2"))).isInstanceOf(ClusterUnavailableException.class);
            assertThat(get(a.cluster.claim(call("r-4")))).isEqualTo(Claim.unavailable());

            long restartedAt = System.nanoTime();
            redis.restart();
            await("a and b registered again", () -> a.cluster.up() && b.cluster.up());
            long wholeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
            System.out.println("cluster: registry whole " + wholeMs + " ms after Redis restarted empty");

            Map<String, String> nodeOf = get(b.cluster.calls()).stream()
                    .collect(Collectors.toMap(c -> c.call().callId(), ClusterCall::node));
            assertThat(nodeOf).isEqualTo(Map.of("r-1", "node-a", "r-3", "node-b", "r-4", "node-a"));
            assertThat(get(b.cluster.nodes())).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-a", "node-b");
            // Scripts were flushed with everything else: they were sent again.
            assertThat(get(a.cluster.claim(call("r-5"))).outcome()).isEqualTo(Claim.Outcome.CLAIMED);
            assertThat(a.local).as("nothing was lost").isEmpty();
            // The events channel was subscribed again with the reconnect.
            a.cluster.publish(CallEvent.of("call.started", "r-5", Map.of()));
            await("b hears a again", () -> b.remote.stream().anyMatch(e -> e.event().callId().equals("r-5")));
        }
    }

    @Test
    void pausedRedisFailsFastAfterOneTimeoutThenRecovers() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            Node a = rig.start("node-a", 500, 200);
            get(a.cluster.claim(call("p-1")));
            get(a.cluster.claim(call("p-2")));
            // Long enough that the engine's 200 ms command timeout fires well before Redis answers.
            assertThat(redis.command("CLIENT", "PAUSE", "5000", "ALL")).isEqualTo("OK");

            assertThat(failure(a.cluster.unregister("p-1"))).isInstanceOf(ClusterUnavailableException.class);
            assertThat(a.cluster.up()).isFalse();
            // Whatever reached the paused Redis first (this unregister or a heartbeat) gave up after
            // the command timeout instead of waiting for the pause to end.
            assertThat(a.cluster.downCause()).isInstanceOf(RedisCommandTimeoutException.class);
            CompletableFuture<Claim> duringPause = a.cluster.claim(call("p-3")).toCompletableFuture();
            assertThat(duringPause).as("answered without waiting for Redis").isDone();
            assertThat(duringPause.join()).isEqualTo(Claim.unavailable());
            assertThat(a.cluster.owner("p-2").toCompletableFuture().join()).isEqualTo(Owner.unavailable());

            await("a back once the pause ends", () -> a.cluster.up());
            assertThat(get(a.cluster.calls())).extracting(c -> c.call().callId())
                    .containsExactlyInAnyOrder("p-2", "p-3");
            assertThat(get(a.cluster.owner("p-1"))).isEqualTo(Owner.notFound());
        }
    }

    @Test
    void passwordComesFromConfigAndAWrongOneLeavesTheNodeDownNotBroken() throws Exception {
        try (RedisServer redis = RedisServer.start("--requirepass", "s3cret"); ClusterRig rig = new ClusterRig(redis)) {
            Node good = rig.node("node-good", 1000, 2000, redis.url(), "s3cret");
            get(good.cluster.start());
            assertThat(good.cluster.up()).isTrue();
            Node bad = rig.node("node-bad", 1000, 2000, redis.url(), "wrong");
            get(bad.cluster.start());
            assertThat(bad.cluster.up()).isFalse();
            assertThat(get(bad.cluster.claim(call("pw-1")))).isEqualTo(Claim.unavailable());
            assertThat(get(good.cluster.nodes())).extracting(NodeInfo::id).containsExactly("node-good");
        }
    }

    @Test
    void aHostNameIsResolvedOnTheLoops() throws Exception {
        try (RedisServer redis = RedisServer.start(); ClusterRig rig = new ClusterRig(redis)) {
            Node n = rig.node("node-h", 1000, 2000, "redis://localhost:" + redis.port() + "/3", "");
            get(n.cluster.start());
            assertThat(n.cluster.up()).isTrue();
            get(n.cluster.claim(call("h-1")));
            assertThat(redis.command("EXISTS", Keys.call("h-1"))).as("not in db 0").isEqualTo(0L);
            assertThat((String) redis.command("INFO", "keyspace")).contains("db3:keys=");
        }
    }

    private static List<CallEvent> lost(Node n) {
        return n.local.stream().filter(e -> e.type().equals(LostCalls.EVENT)).toList();
    }

    private static List<ClusterEvent> lostHeard(Node n) {
        return new ArrayList<>(n.remote.stream().filter(e -> e.event().type().equals(LostCalls.EVENT)).toList());
    }
}
