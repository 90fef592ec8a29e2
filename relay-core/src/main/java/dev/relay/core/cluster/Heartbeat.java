package dev.relay.core.cluster;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node registered and the registry free of dead nodes. Each beat is one script
 * ({@code beat.lua}): refresh the node's hash and TTL, list members whose heartbeat expired, return
 * this node's unreported lost calls. Then each dead member is reaped ({@code reap.lua}) and its
 * calls reported ({@link LostCalls}).
 *
 * <p>When the node's hash is gone (Redis restarted empty, or this node was taken for dead), or an
 * operation failed while Redis was away, the beat re-registers the node and its whole ledger
 * instead ({@code sync.lua}), and drops what Redis holds for the node that it no longer has. A
 * (re)connection triggers a beat at once, so a Redis that comes back empty holds the node again
 * within a reconnect delay. While Redis is unavailable, beats run every {@code retryMs} rather than
 * every heartbeat.
 *
 * <p>Threading: beats are scheduled on one event loop and never overlap; script replies arrive on
 * the Redis connection's loop and touch only atomic state. {@link #up()} and {@link #markDown} are
 * callable from any thread.
 */
final class Heartbeat {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RedisLink link;
    private final CallLedger ledger;
    private final NodeIdentity identity;
    private final String instance;
    private final String transport;
    private final Supplier<NodeStatus> status;
    private final LostCalls lost;
    private final EventExecutor loop;
    private final long periodMs;
    private final long ttlMs;
    private final long retryMs;

    private volatile boolean up;
    private final AtomicBoolean needsSync = new AtomicBoolean(true);
    private final AtomicBoolean firstSync = new AtomicBoolean(true);
    private volatile boolean stopped;
    private volatile ScheduledFuture<?> next;
    private volatile long beats;
    private volatile Throwable downCause;
    // Confined to loop:
    private boolean inFlight;
    private boolean again;

    Heartbeat(RedisLink link, CallLedger ledger, NodeIdentity identity, String instance, String transport,
            Supplier<NodeStatus> status, LostCalls lost, EventExecutor loop, long periodMs, long ttlMs, long retryMs) {
        this.link = link;
        this.ledger = ledger;
        this.identity = identity;
        this.instance = instance;
        this.transport = transport;
        this.status = status;
        this.lost = lost;
        this.loop = loop;
        this.periodMs = periodMs;
        this.ttlMs = ttlMs;
        this.retryMs = retryMs;
    }

    /** Runs the first beat now; the stage completes when it has finished, whatever its outcome. */
    CompletionStage<Void> start() {
        CompletableFuture<Void> first = new CompletableFuture<>();
        loop.execute(() -> {
            inFlight = true;
            run(first);
        });
        return first;
    }

    /** Stops beating; a beat under way finishes. Any thread. */
    void stop() {
        stopped = true;
        ScheduledFuture<?> n = next;
        if (n != null) {
            n.cancel(false);
        }
    }

    boolean up() {
        return up;
    }

    /** What took the node down last time it went down: null when a connection was lost (tests). */
    Throwable downCause() {
        return downCause;
    }

    /** Beats finished since start, whatever their outcome (tests wait on it). */
    long beats() {
        return beats;
    }

    /** Beat now (a connection came back), or right after the beat under way. Any thread. */
    void requestBeat() {
        if (stopped) {
            return;
        }
        loop.execute(() -> {
            if (stopped) {
                return;
            }
            if (inFlight) {
                again = true;
                return;
            }
            ScheduledFuture<?> n = next;
            if (n != null) {
                n.cancel(false);
            }
            inFlight = true;
            run(null);
        });
    }

    /**
     * An operation could not reach Redis: the node is down until a beat re-registers it (whatever
     * it did meanwhile is then reconciled), and the next beat comes within {@code retryMs}. Any thread.
     */
    void markDown(Throwable cause) {
        needsSync.set(true);
        if (up) {
            up = false;
            downCause = cause == null ? null : RedisLink.rootCause(cause);
            if (stopped) {
                return;
            }
            log.warn("cluster: Redis at {} unavailable, carrying on local-only: {}", link.target(),
                    cause == null ? "not connected" : RedisLink.unwrap(cause).getMessage());
            loop.execute(this::hurry);
        }
    }

    /** Brings the next beat forward to {@code retryMs}. On the loop. */
    private void hurry() {
        if (stopped || inFlight) {
            return;
        }
        ScheduledFuture<?> n = next;
        if (n == null || n.getDelay(TimeUnit.MILLISECONDS) > retryMs) {
            if (n != null) {
                n.cancel(false);
            }
            next = loop.schedule(this::tick, retryMs, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        if (stopped || inFlight) {
            return;
        }
        inFlight = true;
        run(null);
    }

    /** One beat; {@code inFlight} is set. On the loop. */
    private void run(CompletableFuture<Void> done) {
        beat().whenCompleteAsync((v, e) -> {
            inFlight = false;
            beats++;
            if (done != null) {
                done.complete(null);
            }
            if (!stopped) {
                long delayMs = again ? 0 : up ? periodMs : retryMs;
                again = false;
                next = loop.schedule(this::tick, delayMs, TimeUnit.MILLISECONDS);
            }
        }, loop);
    }

    /** Never fails: a failure marks the node down. */
    private CompletionStage<Void> beat() {
        CompletionStage<Void> s;
        try {
            if (link.connected()) {
                if (!link.subscribed()) {
                    link.connect(); // the events connection failed where the command one did not
                }
                s = register();
            } else {
                markDown(null);
                s = link.connect().thenCompose(ok -> ok ? register() : DONE);
            }
        } catch (RuntimeException e) {
            // e.g. the wiring's status supplier failed: this beat fails, the next one is still scheduled
            s = CompletableFuture.failedFuture(e);
        }
        return s.handle((v, e) -> {
            if (e != null) {
                markDown(e);
            }
            return null;
        });
    }

    private CompletionStage<Void> register() {
        if (needsSync.getAndSet(false)) {
            return sync();
        }
        String[] fields = nodeFields();
        String[] args = new String[4 + fields.length];
        args[0] = Keys.PREFIX;
        args[1] = identity.nodeId();
        args[2] = instance;
        args[3] = Long.toString(ttlMs);
        System.arraycopy(fields, 0, args, 4, fields.length);
        String me = identity.nodeId();
        return link.eval(Script.BEAT, new String[] {Keys.node(me), Keys.nodes(), Keys.nodeLost(me)}, args)
                .thenCompose(r -> {
                    List<?> reply = (List<?>) r;
                    if (number(reply.get(0)) == 0) {
                        log.warn("cluster: node {} is not registered in Redis (restarted empty, or taken for dead);"
                                + " registering it and its {} call(s) again", me, ledger.size());
                        return sync();
                    }
                    if (number(reply.get(1)) == 1) {
                        log.error("cluster: another process heartbeats as node {}: give every relay its own"
                                + " relay.cluster.node-id", me);
                    }
                    lost.report((List<?>) reply.get(3));
                    CompletionStage<Void> reaps = DONE;
                    for (Object dead : (List<?>) reply.get(2)) {
                        reaps = reaps.thenCompose(ignored -> reap(String.valueOf(dead)));
                    }
                    return reaps.thenRun(this::markUp);
                });
    }

    private CompletionStage<Void> sync() {
        List<CallRecord> calls = ledger.snapshot();
        String[] fields = nodeFields();
        String[] args = new String[4 + fields.length + 4 * calls.size()];
        String me = identity.nodeId();
        args[0] = Keys.PREFIX;
        args[1] = me;
        args[2] = Long.toString(ttlMs);
        args[3] = Integer.toString(fields.length);
        System.arraycopy(fields, 0, args, 4, fields.length);
        int i = 4 + fields.length;
        for (CallRecord c : calls) {
            args[i++] = c.callId();
            args[i++] = c.route();
            args[i++] = c.mobileNo();
            args[i++] = Long.toString(c.startedAtMillis());
        }
        return link.eval(Script.SYNC, new String[] {Keys.node(me), Keys.nodes(), Keys.nodeCalls(me)}, args)
                .thenAccept(r -> {
                    List<?> reply = (List<?>) r;
                    List<?> stale = (List<?>) reply.get(0);
                    List<?> conflicts = (List<?>) reply.get(1);
                    if (firstSync.getAndSet(false)) {
                        // Held under this node's id before this process joined: an earlier run's calls,
                        // which died with it.
                        for (Object id : stale) {
                            lost.emit(String.valueOf(id), me);
                        }
                        if (!stale.isEmpty()) {
                            log.warn("cluster: {} call(s) of an earlier run of node {} were still registered,"
                                    + " reported as {}", stale.size(), me, LostCalls.EVENT);
                        }
                    } else if (!stale.isEmpty()) {
                        log.info("cluster: removed {} call(s) that ended while Redis was away", stale.size());
                    }
                    if (!conflicts.isEmpty()) {
                        log.warn("cluster: {} call(s) of this node are registered to other live nodes and left to"
                                + " them: {}", conflicts.size(), conflicts);
                    }
                    markUp();
                });
    }

    private CompletionStage<Void> reap(String dead) {
        String me = identity.nodeId();
        String[] keys = {Keys.node(dead), Keys.nodes(), Keys.nodeCalls(dead), Keys.nodeLost(dead), Keys.nodeLost(me)};
        return link.eval(Script.REAP, keys, Keys.PREFIX, dead).thenAccept(r -> lost.report((List<?>) r));
    }

    private void markUp() {
        if (!up) {
            up = true;
            log.info("cluster: node {} registered in Redis at {} with {} call(s)", identity.nodeId(), link.target(),
                    ledger.size());
        }
    }

    private String[] nodeFields() {
        return NodeHash.fields(identity, instance, transport, status.get(), System.currentTimeMillis());
    }

    static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }
}
