package dev.relay.core.cluster;

/**
 * The answer to {@link Cluster#claim}: whether this node may place the call.
 *
 * @param outcome what happened
 * @param owner the node holding the call when {@link Outcome#DUPLICATE}, else null
 * @param pending the pending outbound entry taken for this callId when {@link Outcome#CLAIMED},
 *     or null when there was none
 */
public record Claim(Outcome outcome, String owner, PendingCall pending) {

    /** What a claim came to. */
    public enum Outcome {
        /** The callId is now this node's; {@link #pending()} holds its outbound entry, if any. */
        CLAIMED,
        /** The callId is live on {@link #owner()} (possibly this node): refuse the call (1008). */
        DUPLICATE,
        /**
         * The cluster could not be asked in time: place the call local-only. The node registers it
         * when the cluster is back, so the call must still be {@link Cluster#unregister}ed at its end.
         */
        UNAVAILABLE
    }

    static Claim claimed(PendingCall pending) {
        return new Claim(Outcome.CLAIMED, null, pending);
    }

    static Claim duplicate(String owner) {
        return new Claim(Outcome.DUPLICATE, owner, null);
    }

    static Claim unavailable() {
        return new Claim(Outcome.UNAVAILABLE, null, null);
    }
}
