package dev.relay.core.cluster;

/**
 * One node as the cluster sees it: what {@code GET /v1/nodes} lists.
 *
 * @param id node id
 * @param state ready, draining or full; null when {@code alive} is false
 * @param calls live calls at its last heartbeat
 * @param maxCalls its admission limit
 * @param version relay version
 * @param lastHeartbeatMillis epoch milliseconds of its last heartbeat, by its own clock
 * @param controlUrl how to reach its control API; null when {@code alive} is false
 * @param transport the event-loop transport it runs on ({@code epoll}, {@code io_uring}, {@code nio})
 * @param alive false when its heartbeat has expired and it has not been removed yet (then only
 *     {@code id} is known)
 */
public record NodeInfo(
        String id,
        NodeState state,
        int calls,
        int maxCalls,
        String version,
        long lastHeartbeatMillis,
        String controlUrl,
        String transport,
        boolean alive) {

    /** A member whose heartbeat expired: nothing but its id is left. */
    static NodeInfo expired(String id) {
        return new NodeInfo(id, null, 0, 0, null, 0, null, null, false);
    }
}
