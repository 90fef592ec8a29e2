package dev.relay.core.cluster;

import static dev.relay.core.cluster.ClusterRig.await;
import static dev.relay.core.cluster.ClusterRig.call;
import static dev.relay.core.cluster.ClusterRig.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.cluster.ClusterRig.Node;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.RedisServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Redis engine's operations across nodes, against a real redis-server, with Redis healthy. */
@Timeout(60)
class RedisClusterTest {
    /** Long beats: these tests are about operations, and a loaded machine must not expire a node. */
    private static final long HEARTBEAT_MS = 2000;
    private static final long COMMAND_TIMEOUT_MS = 5000;

    private static RedisServer redis;
    private ClusterRig rig;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @BeforeEach
    void rig() throws Exception {
        redis.command("FLUSHALL");
        rig = new ClusterRig(redis);
    }

    @AfterEach
    void closeRig() throws Exception {
        rig.close();
    }

    private Node start(String id) throws Exception {
        Node n = rig.start(id, HEARTBEAT_MS, COMMAND_TIMEOUT_MS);
        assertThat(n.cluster.up()).as(id + " up after start").isTrue();
        return n;
    }

    @Test
    void twoNodesSeeEachOtherWithTheirState() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        assertThat(a.cluster.sharesLoops()).as("Lettuce on the relay's epoll loops").isTrue();
        a.status = new NodeStatus(NodeState.DRAINING, 7, 10);
        ClusterRig.awaitBeats(a, 2);

        List<NodeInfo> seenByB = get(b.cluster.nodes());
        assertThat(seenByB).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-a", "node-b");
        NodeInfo infoA = seenByB.stream().filter(n -> n.id().equals("node-a")).findFirst().orElseThrow();
        assertThat(infoA.alive()).isTrue();
        assertThat(infoA.state()).isEqualTo(NodeState.DRAINING);
        assertThat(infoA.calls()).isEqualTo(7);
        assertThat(infoA.maxCalls()).isEqualTo(10);
        assertThat(infoA.version()).isEqualTo("test-1");
        assertThat(infoA.controlUrl()).isEqualTo("http://127.0.0.1:9/node-a");
        assertThat(infoA.transport()).isEqualTo("epoll");
        assertThat(infoA.lastHeartbeatMillis()).isPositive();
        assertThat(get(a.cluster.nodes())).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void claimIsExclusiveAcrossNodes() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        assertThat(get(a.cluster.claim(call("c-1"))).outcome()).isEqualTo(Claim.Outcome.CLAIMED);

        Claim onB = get(b.cluster.claim(call("c-1")));
        assertThat(onB.outcome()).isEqualTo(Claim.Outcome.DUPLICATE);
        assertThat(onB.owner()).isEqualTo("node-a");
        // The same id twice on one node is refused before Redis is asked.
        CompletableFuture<Claim> again = a.cluster.claim(call("c-1")).toCompletableFuture();
        assertThat(again).isDone();
        assertThat(again.join()).isEqualTo(new Claim(Claim.Outcome.DUPLICATE, "node-a", null));

        // Once the holder unregisters, the id is free.
        get(a.cluster.unregister("c-1"));
        assertThat(get(b.cluster.claim(call("c-1"))).outcome()).isEqualTo(Claim.Outcome.CLAIMED);
    }

    @Test
    void concurrentClaimsOfTheSameIdsYieldOneOwnerEach() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        List<CompletableFuture<Claim>> onA = new ArrayList<>();
        List<CompletableFuture<Claim>> onB = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            onA.add(a.cluster.claim(call("race-" + i)).toCompletableFuture());
            onB.add(b.cluster.claim(call("race-" + i)).toCompletableFuture());
        }
        for (int i = 0; i < 100; i++) {
            Claim x = get(onA.get(i));
            Claim y = get(onB.get(i));
            assertThat(List.of(x.outcome(), y.outcome())).as("race-" + i)
                    .containsExactlyInAnyOrder(Claim.Outcome.CLAIMED, Claim.Outcome.DUPLICATE);
        }
        List<ClusterCall> calls = get(a.cluster.calls());
        assertThat(calls).hasSize(100);
        assertThat(calls.stream().map(c -> c.call().callId()).distinct()).hasSize(100);
    }

    @Test
    void ownerLookupFindsTheHoldingNode() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        get(a.cluster.claim(call("c-2")));

        assertThat(get(b.cluster.owner("c-2"))).isEqualTo(Owner.alive("node-a", "http://127.0.0.1:9/node-a"));
        assertThat(get(a.cluster.owner("c-2")).node()).isEqualTo("node-a");
        assertThat(get(b.cluster.owner("nobody-has-this"))).isEqualTo(Owner.notFound());

        get(a.cluster.unregister("c-2"));
        assertThat(get(b.cluster.owner("c-2"))).isEqualTo(Owner.notFound());
    }

    @Test
    void unregisterIsCompareAndDelete() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        get(a.cluster.claim(call("c-3")));
        // b holds no such call: its unregister does not even ask Redis.
        get(b.cluster.unregister("c-3"));
        // The script itself, run as b, refuses to delete a call hash that names a.
        assertThat(redis.command("EVAL", Script.UNREGISTER.text, "2", Keys.call("c-3"), Keys.nodeCalls("node-b"),
                "node-b", "c-3")).isEqualTo(0L);
        assertThat(get(b.cluster.owner("c-3")).node()).isEqualTo("node-a");
    }

    @Test
    void pendingOutboundCallIsTakenOnceByWhicheverNodeRegistersIt() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        Node c = start("node-c");
        get(a.cluster.putPending("out-1", new PendingCall("bot", "https://hooks.example/x")));
        assertThat(redis.command("PTTL", Keys.pending("out-1"))).isInstanceOfSatisfying(Long.class,
                ttl -> assertThat(ttl).isBetween(1L, RedisCluster.PENDING_TTL_MS));

        Claim onB = get(b.cluster.claim(call("out-1")));
        assertThat(onB.outcome()).isEqualTo(Claim.Outcome.CLAIMED);
        assertThat(onB.pending()).isEqualTo(new PendingCall("bot", "https://hooks.example/x"));
        assertThat(get(c.cluster.calls())).singleElement().satisfies(cc -> {
            assertThat(cc.node()).isEqualTo("node-b");
            assertThat(cc.call().route()).as("the pending route wins").isEqualTo("bot");
        });

        // Taken: after the call ends, the same id claimed elsewhere has no pending entry any more.
        get(b.cluster.unregister("out-1"));
        Claim onC = get(c.cluster.claim(call("out-1")));
        assertThat(onC.outcome()).isEqualTo(Claim.Outcome.CLAIMED);
        assertThat(onC.pending()).isNull();
        // Without a webhook.
        get(a.cluster.putPending("out-2", new PendingCall("default", null)));
        assertThat(get(a.cluster.claim(call("out-2"))).pending()).isEqualTo(new PendingCall("default", null));
    }

    @Test
    void eventsPublishedOnOneNodeArriveOnTheOthersWithTheNodeId() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        Node c = start("node-c");
        CallEvent event = new CallEvent("transcript", "c-9", 1_700_000_000_123L,
                Map.of("text", "hello", "final", true));
        a.cluster.publish(event);

        await("b gets a's event", () -> !b.remote.isEmpty());
        await("c gets a's event", () -> !c.remote.isEmpty());
        assertThat(b.remote).singleElement().isEqualTo(new ClusterEvent("node-a", event));
        assertThat(c.remote).singleElement().isEqualTo(new ClusterEvent("node-a", event));
        // Its own events reach a through its local bus, not the cluster channel.
        b.cluster.publish(CallEvent.of("dtmf", "c-10", Map.of("digit", "5")));
        await("a gets b's event", () -> !a.remote.isEmpty());
        assertThat(a.remote).extracting(ClusterEvent::node).containsOnly("node-b");
        assertThat(a.cluster.eventsDropped()).isZero();
    }

    @Test
    void malformedChannelMessagesAreCountedAndDropped() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        redis.command("PUBLISH", Keys.EVENTS, "not json");
        redis.command("PUBLISH", Keys.EVENTS, "{\"type\":\"x\",\"ts\":1}");
        a.cluster.publish(CallEvent.of("call.started", "c-11", Map.of()));

        await("b gets the valid event", () -> !b.remote.isEmpty());
        await("b counted both bad messages", () -> b.cluster.eventsMalformed() == 2);
        assertThat(b.remote).singleElement().extracting(ClusterEvent::node).isEqualTo("node-a");
    }

    @Test
    void callsListsEveryNodesCallsWithItsNode() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        get(a.cluster.claim(call("a-1")));
        get(a.cluster.claim(call("a-2")));
        get(b.cluster.claim(new CallRecord("b-1", "bot", "", 42L)));

        Map<String, String> nodeOf = get(b.cluster.calls()).stream()
                .collect(Collectors.toMap(c -> c.call().callId(), ClusterCall::node));
        assertThat(nodeOf).isEqualTo(Map.of("a-1", "node-a", "a-2", "node-a", "b-1", "node-b"));
        assertThat(get(a.cluster.calls())).filteredOn(c -> c.call().callId().equals("b-1")).singleElement()
                .isEqualTo(new ClusterCall("node-b", new CallRecord("b-1", "bot", "", 42L)));
    }

    @Test
    void stopLeavesTheClusterWithItsCalls() throws Exception {
        Node a = start("node-a");
        Node b = start("node-b");
        get(a.cluster.claim(call("l-1")));
        get(a.cluster.stop());

        assertThat(get(b.cluster.nodes())).extracting(NodeInfo::id).containsExactly("node-b");
        assertThat(get(b.cluster.owner("l-1"))).isEqualTo(Owner.notFound());
        assertThat(b.local).as("a clean leave loses no call").isEmpty();
        assertThat(redis.command("KEYS", "relay:node:node-a*")).isEqualTo(List.of());
    }

    @Test
    void nodeIdsAreKeyedUnderOnePrefix() throws Exception {
        Node a = start("node-a");
        get(a.cluster.claim(call("k-1")));
        get(a.cluster.putPending("k-2", new PendingCall("default", null)));
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) redis.command("KEYS", "*");
        assertThat(keys).allMatch(k -> k.startsWith(Keys.PREFIX)).containsExactlyInAnyOrder(
                "relay:nodes", "relay:node:node-a", "relay:node:node-a:calls", "relay:call:k-1", "relay:pending:k-2");
        assertThat(redis.command("PTTL", "relay:node:node-a")).isInstanceOfSatisfying(Long.class,
                ttl -> assertThat(ttl).isBetween(1L, 3 * HEARTBEAT_MS));
        assertThat(redis.command("TTL", "relay:call:k-1")).isEqualTo(-1L);
    }
}
