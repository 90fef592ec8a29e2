package dev.relay.core.cluster;

/**
 * A live call of the cluster and the node holding it ({@code GET /v1/calls?scope=cluster}).
 *
 * @param node id of the node holding the call
 * @param call the call as registered
 */
public record ClusterCall(String node, CallRecord call) {}
