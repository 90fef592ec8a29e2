package dev.relay.core.cluster;

/**
 * How loaded a node is now: read from the wiring at every heartbeat and published with it.
 *
 * @param state ready, draining or full
 * @param calls live calls on the node
 * @param maxCalls the node's admission limit
 */
public record NodeStatus(NodeState state, int calls, int maxCalls) {
    public NodeStatus {
        if (state == null) {
            throw new IllegalArgumentException("state");
        }
    }
}
