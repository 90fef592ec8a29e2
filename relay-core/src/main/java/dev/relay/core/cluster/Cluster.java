package dev.relay.core.cluster;

import dev.relay.core.event.CallEvent;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The control plane a relay shares with the other relays of its fleet (SPEC §8.3): node
 * heartbeats, the cluster-wide call registry, pending outbound calls and the event stream. Call
 * handling and the control API talk only to this interface, so another engine (NATS, say) can
 * replace Redis without touching them; {@link Clusters#create} picks the engine.
 *
 * <p><b>Never blocks.</b> Every operation returns at once; its stage completes within about
 * {@code relay.cluster.command-timeout} per round trip, and at once while the cluster is known to
 * be unavailable. Stages complete on one of the relay's event loops (the Redis connection's),
 * which is rarely the caller's: continuations must not block, and must hop to their own loop
 * ({@code thenAcceptAsync(…, channel.eventLoop())}) before touching a channel. Operations that
 * cannot reach the cluster answer {@link Claim.Outcome#UNAVAILABLE} / {@link
 * Owner.Outcome#UNAVAILABLE}, or fail with {@link ClusterUnavailableException}; never anything
 * else for want of Redis.
 *
 * <p><b>Calls.</b> A call is {@link #claim}ed when it registers and {@link #unregister}ed when it
 * ends; a claim that came back {@code CLAIMED} or {@code UNAVAILABLE} must be unregistered
 * exactly once, also when the call is then not placed after all. The node keeps its own ledger of
 * what it claimed, and re-registers all of it when the cluster comes back (e.g. Redis restarted
 * empty), so calls placed local-only while Redis was away join the registry then.
 *
 * <p>Thread-safe.
 */
public interface Cluster extends AutoCloseable {

    /** This node's id in the cluster. */
    String nodeId();

    /**
     * Joins the cluster and starts the heartbeat. The stage completes once the first registration
     * attempt has finished, successful or not (the node keeps trying in the background); it never
     * fails for want of Redis.
     */
    CompletionStage<Void> start();

    /**
     * True while the cluster holds this node's registration: its last heartbeat succeeded and no
     * operation has since failed for want of Redis. Backs {@code relay_cluster_up}.
     */
    boolean up();

    /**
     * Claims {@code call.callId()} for this node, atomically refused when the id is live on any
     * node, and takes the pending outbound entry for that id in the same round trip.
     */
    CompletionStage<Claim> claim(CallRecord call);

    /** Removes the call from the registry (only if this node holds it). Fails only when unavailable. */
    CompletionStage<Void> unregister(String callId);

    /** Which node holds {@code callId}, and whether its heartbeat is alive. */
    CompletionStage<Owner> owner(String callId);

    /**
     * Every live call of the cluster with its node (calls of nodes whose heartbeat expired are
     * left out). Fails with {@link ClusterUnavailableException} when unavailable.
     */
    CompletionStage<List<ClusterCall>> calls();

    /** Every node of the cluster, expired ones not yet removed included. */
    CompletionStage<List<NodeInfo>> nodes();

    /**
     * Keeps an outbound call started on this node for whichever node receives its WebSocket, for
     * {@code PendingCalls.DEFAULT_TTL_MS} (10 minutes). The single-node engine keeps none: on one
     * node the local {@code PendingCalls} is the store.
     */
    CompletionStage<Void> putPending(String callId, PendingCall pending);

    /**
     * Publishes one of this node's events to the other nodes; fire and forget (dropped and
     * counted while the cluster is unavailable). The wiring subscribes it to the node's event bus,
     * so every local event, {@code call.lost} included, reaches the cluster once. Callable from any
     * thread, IO and DSP included.
     */
    void publish(CallEvent event);

    /**
     * Subscribes to the other nodes' events (this node's own come from its local event bus, so a
     * cluster-wide stream keeps showing them while Redis is away). The consumer runs on an event
     * loop and must not block. The returned handle unsubscribes.
     */
    AutoCloseable subscribe(Consumer<ClusterEvent> consumer);

    /** Events not published to the other nodes (cluster unavailable, or not serialisable), since start. */
    long eventsDropped();

    /** Messages on the events channel that were not events (dropped and logged), since start. */
    long eventsMalformed();

    /**
     * Leaves the cluster (removes this node and its calls), stops the heartbeat and closes the
     * engine's connections. Bounded by a few command timeouts; never fails.
     */
    CompletionStage<Void> stop();

    /**
     * {@link #stop()}, waiting for it: for the main thread and shutdown hooks only.
     *
     * @throws IllegalStateException when called on an event loop, which must never wait
     */
    @Override
    void close();
}
