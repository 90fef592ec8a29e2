package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import dev.relay.core.event.CallEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Cluster} on Redis 6.2+ through Lettuce, on the relay's own event loops
 * ({@link LettuceResources}).
 *
 * <h2>Data model</h2>
 * Every key starts with {@code relay:} (one cluster per Redis database; pick the database in
 * {@code redis-url}). Node ids are {@code [A-Za-z0-9._-]}, so no key name is ambiguous.
 * <pre>
 * relay:nodes                 SET    node ids that joined and have not left or been reaped
 * relay:node:{node}           HASH   id, instance, state, calls, maxCalls, version, lastHeartbeat,
 *                                    controlUrl, transport; PEXPIRE 3 x heartbeat, refreshed each beat
 * relay:node:{node}:calls     SET    callIds the node holds (no TTL: removed by unregister/leave/reap)
 * relay:node:{node}:lost      HASH   callId -> dead node: lost calls this node must report (normally empty)
 * relay:call:{callId}         HASH   node, route, mobileNo, startedAt (no TTL)
 * relay:pending:{callId}      HASH   route, webhook, node, createdAt; PEXPIRE 10 min
 * relay:events                channel: {"node","type","callId","ts","data"} per call event
 * </pre>
 * A node is alive while its hash exists; a member of {@code relay:nodes} without one is dead.
 *
 * <h2>Atomic steps</h2>
 * Each is one Lua script ({@link Script}, run by digest), so each is atomic in Redis:
 * <ul>
 *   <li>claim: refused while the call hash names a live node, else written with the node, added to
 *       the node's set, and the pending hash taken (read and deleted: a GETDEL of the whole entry)
 *       in the same step;
 *   <li>unregister and leave: compare-and-delete (a call hash is deleted only by the node it names);
 *   <li>reap: a dead node's calls move into the reaper's lost hash and the node is removed, a no-op
 *       once done, so of all the survivors that notice a death at once exactly one gets its calls;
 *   <li>sync: the node's hash, membership and every call of its ledger are written, and calls Redis
 *       holds for it that it no longer has are removed.
 * </ul>
 *
 * <h2>Commands</h2>
 * Per call: 1 {@code EVALSHA} to claim, 1 to unregister, 1 {@code PUBLISH} per call event; an
 * outbound call adds 1 {@code EVALSHA} for its pending entry. Per node and heartbeat: 1
 * {@code EVALSHA}, plus 1 per dead node found, 1 {@code HDEL} when it reported lost calls, and 1
 * to re-register after Redis was away. Listing calls: 1 plus 1 per live node; nodes: 1.
 *
 * <h2>Degrading</h2>
 * Every command times out after {@code command-timeout}; while a connection is down commands are
 * rejected at once. The first failure marks the node down ({@link #up()} false): from then on
 * claims answer {@code UNAVAILABLE}, lookups {@code UNAVAILABLE}, lists and puts fail, and events
 * are dropped, all at once without asking Redis, until a beat (every {@code retryMs} while down, and
 * at once on reconnect) has registered the node and its whole ledger again.
 *
 * <p>Thread-safe; nothing here blocks an event loop.
 */
final class RedisCluster implements Cluster {
    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    /** How long an unanswered outbound call is kept: as {@code PendingCalls.DEFAULT_TTL_MS}. */
    static final long PENDING_TTL_MS = TimeUnit.MINUTES.toMillis(10);

    private final ClusterConfig config;
    private final NodeIdentity identity;
    private final EventLoopGroup loops;
    private final LettuceResources resources;
    private final RedisLink link;
    private final Heartbeat heartbeat;
    private final EventChannel events;
    private final Listings listings;
    private final CallLedger ledger = new CallLedger();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /**
     * @param loops the relay's IO loops; the engine's connections, timers and heartbeat run on them
     * @param status read at every heartbeat
     * @param localEvents where {@code call.lost} events for this node's event bus go (the wiring
     *     forwards its bus to {@link #publish}, which takes them to the other nodes)
     */
    RedisCluster(ClusterConfig config, NodeIdentity identity, EventLoopGroup loops, Supplier<NodeStatus> status,
            Consumer<CallEvent> localEvents) {
        this.config = config;
        this.identity = identity;
        this.loops = loops;
        // While Redis is away: retry often enough to be back within a heartbeat, not so often that a
        // fleet hammers a restarting Redis.
        long retryMs = Math.max(50, Math.min(1000, config.heartbeatMs() / 4));
        // Loaded here, on the caller's thread, rather than by a first beat on an event loop.
        Script.values();
        this.resources = LettuceResources.create(loops, retryMs);
        EventExecutor loop = loops.next();
        this.link = new RedisLink(config, identity.nodeId(), resources, retryMs, new RedisLink.Listener() {
            @Override
            public void connected() {
                requestBeat();
            }

            @Override
            public void disconnected() {
                markDown(null);
            }

            @Override
            public void message(String message) {
                events.deliver(message);
            }
        });
        this.events = new EventChannel(link, identity.nodeId(), () -> up() && !stopping.get(), this::markDown);
        this.listings = new Listings(link, this::markDown);
        LostCalls lost = new LostCalls(link, identity.nodeId(), localEvents);
        this.heartbeat = new Heartbeat(link, ledger, identity, UUID.randomUUID().toString(), resources.transport(),
                status, lost, loop, config.heartbeatMs(), config.heartbeatTtlMs(), retryMs);
    }

    private void requestBeat() {
        heartbeat.requestBeat();
    }

    private void markDown(Throwable cause) {
        heartbeat.markDown(cause);
    }

    @Override
    public String nodeId() {
        return identity.nodeId();
    }

    /** What took the node down last time (tests). */
    Throwable downCause() {
        return heartbeat.downCause();
    }

    /** Heartbeats finished since start (tests wait on it). */
    long beats() {
        return heartbeat.beats();
    }

    /** True when the Redis connections run on the relay's loops (false: Lettuce's own thread). */
    boolean sharesLoops() {
        return resources.shared();
    }

    @Override
    public CompletionStage<Void> start() {
        log.info("cluster: node {} joining Redis at {} (heartbeat {} ms, control {}, {})", identity.nodeId(),
                link.target(), config.heartbeatMs(), identity.controlUrl(),
                resources.shared() ? "on the relay's " + resources.transport() + " loops" : "on a thread of its own");
        return heartbeat.start();
    }

    @Override
    public boolean up() {
        return heartbeat.up();
    }

    @Override
    public CompletionStage<Claim> claim(CallRecord call) {
        if (!ledger.add(call)) {
            return CompletableFuture.completedFuture(Claim.duplicate(identity.nodeId()));
        }
        if (!up()) {
            markDown(null);
            return CompletableFuture.completedFuture(Claim.unavailable());
        }
        String id = call.callId();
        String me = identity.nodeId();
        return link.eval(Script.CLAIM, new String[] {Keys.call(id), Keys.nodeCalls(me), Keys.pending(id)},
                Keys.PREFIX, me, id, call.route(), call.mobileNo(), Long.toString(call.startedAtMillis()))
                .handle((r, e) -> {
                    if (e != null) {
                        markDown(e);
                        return Claim.unavailable();
                    }
                    List<?> reply = (List<?>) r;
                    if (Heartbeat.number(reply.get(0)) == 1) {
                        return Claim.claimed(pending((List<?>) reply.get(1)));
                    }
                    ledger.remove(call);
                    return Claim.duplicate(String.valueOf(reply.get(1)));
                });
    }

    private static PendingCall pending(List<?> pairs) {
        String route = null;
        String webhook = null;
        for (int i = 0; pairs != null && i + 1 < pairs.size(); i += 2) {
            String field = String.valueOf(pairs.get(i));
            String value = String.valueOf(pairs.get(i + 1));
            if (field.equals("route")) {
                route = value;
            } else if (field.equals("webhook")) {
                webhook = value.isEmpty() ? null : value;
            }
        }
        return route == null || route.isEmpty() ? null : new PendingCall(route, webhook);
    }

    @Override
    public CompletionStage<Void> unregister(String callId) {
        if (!ledger.remove(callId)) {
            return CompletableFuture.completedFuture(null);
        }
        if (!up()) {
            markDown(null);
            return unavailable();
        }
        String me = identity.nodeId();
        return link.eval(Script.UNREGISTER, new String[] {Keys.call(callId), Keys.nodeCalls(me)}, me, callId)
                .handle((r, e) -> {
                    if (e != null) {
                        markDown(e);
                        throw RedisLink.unavailable(e);
                    }
                    return null;
                });
    }

    @Override
    public CompletionStage<Owner> owner(String callId) {
        if (!up()) {
            return CompletableFuture.completedFuture(Owner.unavailable());
        }
        return link.eval(Script.OWNER, new String[] {Keys.call(callId)}, Keys.PREFIX).handle((r, e) -> {
            if (e != null) {
                markDown(e);
                return Owner.unavailable();
            }
            List<?> reply = (List<?>) r;
            if (reply == null || reply.isEmpty()) {
                return Owner.notFound();
            }
            String node = String.valueOf(reply.get(0));
            Object url = reply.size() > 1 ? reply.get(1) : null;
            return url == null ? Owner.expired(node) : Owner.alive(node, String.valueOf(url));
        });
    }

    @Override
    public CompletionStage<List<NodeInfo>> nodes() {
        return up() ? listings.nodes() : unavailable();
    }

    @Override
    public CompletionStage<List<ClusterCall>> calls() {
        return up() ? listings.calls() : unavailable();
    }

    @Override
    public CompletionStage<Void> putPending(String callId, PendingCall pending) {
        if (!up()) {
            return unavailable();
        }
        return link.eval(Script.PENDING, new String[] {Keys.pending(callId)},
                Long.toString(PENDING_TTL_MS),
                "route", pending.route(),
                "webhook", pending.webhookUrl() == null ? "" : pending.webhookUrl(),
                "node", identity.nodeId(),
                "createdAt", Long.toString(System.currentTimeMillis())).handle((r, e) -> {
                    if (e != null) {
                        markDown(e);
                        throw RedisLink.unavailable(e);
                    }
                    return null;
                });
    }

    @Override
    public void publish(CallEvent event) {
        events.publish(event);
    }

    @Override
    public AutoCloseable subscribe(Consumer<ClusterEvent> consumer) {
        return events.subscribe(consumer);
    }

    @Override
    public long eventsDropped() {
        return events.dropped();
    }

    @Override
    public long eventsMalformed() {
        return events.malformed();
    }

    @Override
    public CompletionStage<Void> stop() {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        heartbeat.stop();
        CompletionStage<Void> leave = up() ? leave() : CompletableFuture.completedFuture(null);
        leave.thenCompose(v -> shutdown()).whenComplete((v, e) -> stopped.complete(null));
        return stopped;
    }

    private CompletionStage<Void> leave() {
        String me = identity.nodeId();
        String[] keys = {Keys.node(me), Keys.nodes(), Keys.nodeCalls(me), Keys.nodeLost(me)};
        return link.eval(Script.LEAVE, keys,
                Keys.PREFIX, me).handle((r, e) -> {
                    if (e != null) {
                        log.warn("cluster: node {} could not leave cleanly ({}); it expires with its heartbeat", me,
                                RedisLink.unwrap(e).getMessage());
                    } else {
                        log.info("cluster: node {} left", me);
                    }
                    return null;
                });
    }

    /**
     * What a crash looks like to the others: the heartbeat stops and the connections close, but the
     * node does not leave, so its registration expires and a survivor reaps it. For tests.
     */
    CompletionStage<Void> halt() {
        if (!stopping.compareAndSet(false, true)) {
            return stopped;
        }
        heartbeat.stop();
        shutdown().whenComplete((v, e) -> stopped.complete(null));
        return stopped;
    }

    private CompletionStage<Void> shutdown() {
        long timeoutMs = Math.max(200, config.commandTimeoutMs());
        return link.close(timeoutMs).handle((v, e) -> null).thenCompose(v -> resources.shutdown(timeoutMs));
    }

    @Override
    public void close() {
        Clusters.awaitOffLoop(stop(), Math.max(2000, 4 * config.commandTimeoutMs()), loops);
    }

    private static <T> CompletionStage<T> unavailable() {
        return CompletableFuture.failedFuture(new ClusterUnavailableException("cluster unavailable (Redis away)"));
    }
}
