package dev.relay.core.cluster;

import dev.relay.core.event.CallEvent;

/**
 * A call event from another node of the cluster ({@code GET /v1/events?scope=cluster}).
 *
 * @param node id of the node that published it
 * @param event the event as that node published it
 */
public record ClusterEvent(String node, CallEvent event) {}
