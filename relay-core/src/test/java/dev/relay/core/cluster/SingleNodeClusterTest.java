package dev.relay.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.ClusterConfig;
import dev.relay.core.event.CallEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code relay.cluster.enabled = false}: a cluster of one, every answer local and immediate. */
class SingleNodeClusterTest {
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<CallEvent> local = new ArrayList<>();
    private final Cluster cluster = Clusters.create(
            new ClusterConfig(false, "redis://127.0.0.1:1/0", "", "solo-8443", "", 5000, 300),
            new NodeIdentity("solo-8443", "http://127.0.0.1:8081", "1.0"), loops,
            () -> new NodeStatus(NodeState.FULL, 3, 3), local::add);

    @AfterEach
    void close() {
        cluster.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void isAlwaysUpAndAnswersAtOnce() {
        assertThat(cluster).isInstanceOf(SingleNodeCluster.class);
        assertThat(cluster.start().toCompletableFuture()).isCompleted();
        assertThat(cluster.up()).isTrue();
        assertThat(cluster.nodeId()).isEqualTo("solo-8443");
    }

    @Test
    void claimsAreExclusiveOnTheNodeAndLookedUpLocally() {
        CallRecord call = new CallRecord("c-1", "default", "9876543210", 1L);
        assertThat(cluster.claim(call).toCompletableFuture().join()).isEqualTo(Claim.claimed(null));
        assertThat(cluster.claim(call).toCompletableFuture().join()).isEqualTo(Claim.duplicate("solo-8443"));
        assertThat(cluster.owner("c-1").toCompletableFuture().join())
                .isEqualTo(Owner.alive("solo-8443", "http://127.0.0.1:8081"));
        assertThat(cluster.calls().toCompletableFuture().join()).containsExactly(new ClusterCall("solo-8443", call));

        cluster.unregister("c-1").toCompletableFuture().join();
        assertThat(cluster.owner("c-1").toCompletableFuture().join()).isEqualTo(Owner.notFound());
        assertThat(cluster.claim(call).toCompletableFuture().join().outcome()).isEqualTo(Claim.Outcome.CLAIMED);
    }

    @Test
    void listsItselfAsTheOnlyNode() {
        assertThat(cluster.nodes().toCompletableFuture().join()).singleElement().satisfies(n -> {
            assertThat(n.id()).isEqualTo("solo-8443");
            assertThat(n.state()).isEqualTo(NodeState.FULL);
            assertThat(n.calls()).isEqualTo(3);
            assertThat(n.maxCalls()).isEqualTo(3);
            assertThat(n.transport()).isEqualTo("nio");
            assertThat(n.alive()).isTrue();
        });
    }

    @Test
    void keepsNoPendingCallsAndHearsNoOtherNodes() throws Exception {
        cluster.putPending("out-1", new PendingCall("bot", null)).toCompletableFuture().join();
        assertThat(cluster.claim(new CallRecord("out-1", "default", "", 1L)).toCompletableFuture().join().pending())
                .as("the local PendingCalls is the store on one node").isNull();
        List<ClusterEvent> heard = new ArrayList<>();
        AutoCloseable subscription = cluster.subscribe(heard::add);
        cluster.publish(CallEvent.of("call.started", "c-2", Map.of()));
        subscription.close();
        assertThat(heard).isEmpty();
        assertThat(local).isEmpty();
        assertThat(cluster.eventsDropped()).isZero();
    }
}
