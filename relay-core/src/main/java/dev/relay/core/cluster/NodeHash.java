package dev.relay.core.cluster;

import java.util.List;

/**
 * A node's Redis hash: the fields its heartbeat writes and {@code GET /v1/nodes} reads back.
 * Values are strings, as Redis keeps them; a field that does not parse reads as 0 or null.
 */
final class NodeHash {
    private NodeHash() {}

    /** Field, value pairs for one heartbeat. */
    static String[] fields(NodeIdentity identity, String instance, String transport, NodeStatus status,
            long nowMillis) {
        return new String[] {
            "id", identity.nodeId(),
            "instance", instance,
            "state", status.state().wireName(),
            "calls", Integer.toString(status.calls()),
            "maxCalls", Integer.toString(status.maxCalls()),
            "version", identity.version(),
            "lastHeartbeat", Long.toString(nowMillis),
            "controlUrl", identity.controlUrl(),
            "transport", transport,
        };
    }

    /** The node from its id and its hash as field, value pairs; an empty hash is an expired node. */
    static NodeInfo parse(String id, List<?> pairs) {
        if (pairs == null || pairs.isEmpty()) {
            return NodeInfo.expired(id);
        }
        String state = null;
        String version = null;
        String controlUrl = null;
        String transport = null;
        int calls = 0;
        int maxCalls = 0;
        long lastHeartbeat = 0;
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String value = String.valueOf(pairs.get(i + 1));
            switch (String.valueOf(pairs.get(i))) {
                case "state" -> state = value;
                case "calls" -> calls = (int) number(value);
                case "maxCalls" -> maxCalls = (int) number(value);
                case "version" -> version = value;
                case "lastHeartbeat" -> lastHeartbeat = number(value);
                case "controlUrl" -> controlUrl = value;
                case "transport" -> transport = value;
                default -> { }
            }
        }
        return new NodeInfo(id, NodeState.ofWire(state), calls, maxCalls, version, lastHeartbeat, controlUrl, transport,
                true);
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
