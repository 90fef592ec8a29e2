package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.RedisServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * Several engines of one cluster in this JVM, on one epoll loop group (as the relay's), against a
 * real {@link RedisServer}. Each {@link Node} records the {@code call.lost} events handed to its
 * local bus and the cluster events it receives.
 */
final class ClusterRig implements AutoCloseable {
    /** Generous bound for conditions that normally hold within a few heartbeats. */
    static final long WAIT_MS = 15_000;

    final RedisServer redis;
    final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, EpollIoHandler.newFactory());
    private final List<Node> nodes = new ArrayList<>();

    ClusterRig(RedisServer redis) {
        this.redis = redis;
    }

    /** One engine and what it has told the test. */
    static final class Node {
        final RedisCluster cluster;
        final List<CallEvent> local = new CopyOnWriteArrayList<>();
        final List<ClusterEvent> remote = new CopyOnWriteArrayList<>();
        volatile NodeStatus status = new NodeStatus(NodeState.READY, 0, 100);

        private Node(ClusterConfig config, EventLoopGroup loops) {
            String controlUrl = "http://127.0.0.1:9/" + config.nodeId();
            NodeIdentity identity = new NodeIdentity(config.nodeId(), controlUrl, "test-1");
            // As the wiring will: call.lost goes on the node's bus, and the bus goes to the cluster.
            this.cluster = (RedisCluster) Clusters.create(config, identity, loops, () -> status, this::onBus);
            cluster.subscribe(remote::add);
        }

        private void onBus(CallEvent event) {
            local.add(event);
            cluster.publish(event);
        }

        String id() {
            return cluster.nodeId();
        }
    }

    /** A started node; {@code heartbeatMs} short for tests of expiry, long where only operations matter. */
    Node start(String id, long heartbeatMs, long commandTimeoutMs) throws Exception {
        Node n = node(id, heartbeatMs, commandTimeoutMs, redis.url(), "");
        get(n.cluster.start());
        return n;
    }

    /** A node, not started. */
    Node node(String id, long heartbeatMs, long commandTimeoutMs, String url, String password) {
        Node n = new Node(new ClusterConfig(true, url, password, id, "", heartbeatMs, commandTimeoutMs), loops);
        nodes.add(n);
        return n;
    }

    static CallRecord call(String callId) {
        return new CallRecord(callId, "default", "9876543210", 1_700_000_000_000L);
    }

    static <T> T get(CompletionStage<T> stage) throws Exception {
        try {
            return stage.toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("stage not complete within " + WAIT_MS + " ms", e);
        }
    }

    /** The failure of {@code stage}, which must fail. */
    static Throwable failure(CompletionStage<?> stage) throws Exception {
        try {
            stage.toCompletableFuture().get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("stage completed normally");
    }

    /** {@link Await#until} with the rig's bound, which allows for a Redis restart. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Await.until(what, Duration.ofMillis(WAIT_MS), condition);
    }

    /** Waits until {@code node} has finished {@code more} beats from now. */
    static void awaitBeats(Node node, int more) throws InterruptedException {
        long target = node.cluster.beats() + more;
        await(node.id() + " beats " + more + " more times", () -> node.cluster.beats() >= target);
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            n.cluster.close();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
