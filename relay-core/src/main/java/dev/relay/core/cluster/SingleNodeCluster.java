package dev.relay.core.cluster;

import dev.relay.core.event.CallEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The cluster of one ({@code relay.cluster.enabled = false}): no Redis, every answer local and
 * immediate. It keeps the same ledger as the Redis engine, so duplicate claims, owner lookups and
 * the cluster-wide call list behave alike on one node; it keeps no pending outbound calls (the
 * local {@code PendingCalls} does) and has no other nodes' events. Thread-safe.
 */
final class SingleNodeCluster implements Cluster {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final NodeIdentity identity;
    private final String transport;
    private final Supplier<NodeStatus> status;
    private final CallLedger ledger = new CallLedger();

    SingleNodeCluster(NodeIdentity identity, String transport, Supplier<NodeStatus> status) {
        this.identity = identity;
        this.transport = transport;
        this.status = status;
    }

    @Override
    public String nodeId() {
        return identity.nodeId();
    }

    @Override
    public CompletionStage<Void> start() {
        return DONE;
    }

    /** Always true: a node is always in touch with itself. */
    @Override
    public boolean up() {
        return true;
    }

    @Override
    public CompletionStage<Claim> claim(CallRecord call) {
        return CompletableFuture.completedFuture(
                ledger.add(call) ? Claim.claimed(null) : Claim.duplicate(identity.nodeId()));
    }

    @Override
    public CompletionStage<Void> unregister(String callId) {
        ledger.remove(callId);
        return DONE;
    }

    @Override
    public CompletionStage<Owner> owner(String callId) {
        return CompletableFuture.completedFuture(ledger.contains(callId)
                ? Owner.alive(identity.nodeId(), identity.controlUrl()) : Owner.notFound());
    }

    @Override
    public CompletionStage<List<ClusterCall>> calls() {
        List<ClusterCall> out = new ArrayList<>();
        for (CallRecord call : ledger.snapshot()) {
            out.add(new ClusterCall(identity.nodeId(), call));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletionStage<List<NodeInfo>> nodes() {
        NodeStatus s = status.get();
        return CompletableFuture.completedFuture(List.of(new NodeInfo(identity.nodeId(), s.state(), s.calls(),
                s.maxCalls(), identity.version(), System.currentTimeMillis(), identity.controlUrl(), transport, true)));
    }

    @Override
    public CompletionStage<Void> putPending(String callId, PendingCall pending) {
        return DONE;
    }

    @Override
    public void publish(CallEvent event) {
        // no other node to tell
    }

    @Override
    public AutoCloseable subscribe(Consumer<ClusterEvent> consumer) {
        return () -> { };
    }

    @Override
    public long eventsDropped() {
        return 0;
    }

    @Override
    public long eventsMalformed() {
        return 0;
    }

    @Override
    public CompletionStage<Void> stop() {
        return DONE;
    }

    @Override
    public void close() {
        // nothing held
    }
}
