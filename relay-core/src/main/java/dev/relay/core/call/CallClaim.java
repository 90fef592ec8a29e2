package dev.relay.core.call;

import dev.relay.core.cluster.Claim;
import dev.relay.core.cluster.Cluster;
import dev.relay.core.cluster.PendingCall;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A callId's claim in the cluster (SPEC §8.3), from {@link CallFactory#claim} to the end of the
 * call it was made for: what the cluster answered, and the one {@link #release} that gives the id
 * back. A claim that came back {@code CLAIMED} or {@code UNAVAILABLE} registered the call (or the
 * engine will when Redis is back), so it is released exactly once however the call ends, and also
 * when the call is then not placed at all (refused, or its socket closed while the cluster was
 * being asked); a {@code DUPLICATE} holds nothing. Without a cluster (a {@link CallFactory} built
 * with none) every claim succeeds and holds nothing.
 *
 * <p>Immutable but for the release flag; {@link #release} from any thread.
 */
public final class CallClaim {
    private static final Logger log = LoggerFactory.getLogger(CallClaim.class);

    private final String callId;
    private final String pathRoute;
    private final String mobileNo;
    private final Claim answer;
    private final Cluster cluster;
    private final AtomicBoolean released = new AtomicBoolean();

    /**
     * @param pathRoute the route the upgrade path chose
     * @param answer the cluster's answer, or null when there is no cluster to ask
     * @param cluster where to give the id back, or null
     */
    CallClaim(String callId, String pathRoute, String mobileNo, Claim answer, Cluster cluster) {
        this.callId = callId;
        this.pathRoute = pathRoute;
        this.mobileNo = mobileNo;
        this.answer = answer;
        this.cluster = cluster;
    }

    public String callId() {
        return callId;
    }

    String pathRoute() {
        return pathRoute;
    }

    String mobileNo() {
        return mobileNo;
    }

    /** True when the id is live elsewhere (or already on this node): the call must be refused, 1008. */
    public boolean duplicate() {
        return answer != null && answer.outcome() == Claim.Outcome.DUPLICATE;
    }

    /** The node holding the id when {@link #duplicate()}, else null. */
    public String owner() {
        return answer == null ? null : answer.owner();
    }

    /** True when the cluster could not be asked: the call is placed local-only for now. */
    public boolean localOnly() {
        return answer != null && answer.outcome() == Claim.Outcome.UNAVAILABLE;
    }

    /** The outbound call started for this id on some node and taken with the claim, or null. */
    PendingCall pending() {
        return answer == null ? null : answer.pending();
    }

    /**
     * Gives the id back to the cluster (the call has ended, or will not be placed). The first call
     * unregisters it; later calls and claims that hold nothing do nothing. Never blocks; a cluster
     * that cannot be reached forgets the id when the node re-registers what it holds.
     */
    public void release() {
        if (cluster == null || duplicate() || !released.compareAndSet(false, true)) {
            return;
        }
        cluster.unregister(callId).whenComplete((v, e) -> {
            if (e != null && log.isDebugEnabled()) {
                log.debug("cluster: unregister deferred to the next sync callId={} ({})", callId, e.getMessage());
            }
        });
    }
}
