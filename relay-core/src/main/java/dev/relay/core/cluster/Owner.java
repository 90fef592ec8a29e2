package dev.relay.core.cluster;

/**
 * The answer to {@link Cluster#owner}: where a control request for a call goes (SPEC §8.3).
 *
 * @param outcome what was found
 * @param node the owning node's id when {@link Outcome#ALIVE} or {@link Outcome#EXPIRED}
 * @param controlUrl the owning node's control URL when {@link Outcome#ALIVE}
 */
public record Owner(Outcome outcome, String node, String controlUrl) {

    /** Where the call is. */
    public enum Outcome {
        /** Held by {@link #node()}, whose heartbeat is alive: forward to {@link #controlUrl()}. */
        ALIVE,
        /** Held by {@link #node()}, whose heartbeat expired: 503 {@code owner_unreachable}. */
        EXPIRED,
        /** No node has the call: 404. */
        NOT_FOUND,
        /** The cluster could not be asked in time: 503 {@code owner_unreachable}. */
        UNAVAILABLE
    }

    static Owner alive(String node, String controlUrl) {
        return new Owner(Outcome.ALIVE, node, controlUrl);
    }

    static Owner expired(String node) {
        return new Owner(Outcome.EXPIRED, node, null);
    }

    static Owner notFound() {
        return new Owner(Outcome.NOT_FOUND, null, null);
    }

    static Owner unavailable() {
        return new Owner(Outcome.UNAVAILABLE, null, null);
    }
}
