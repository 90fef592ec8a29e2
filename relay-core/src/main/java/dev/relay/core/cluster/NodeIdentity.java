package dev.relay.core.cluster;

/**
 * Who a node is, fixed for its life.
 *
 * @param nodeId its name in the cluster ({@code relay.cluster.node-id})
 * @param controlUrl how other nodes reach its control API, e.g. {@code http://10.0.0.5:8081}
 * @param version the relay's version, listed by {@code GET /v1/nodes}
 */
public record NodeIdentity(String nodeId, String controlUrl, String version) {
    public NodeIdentity {
        if (nodeId == null || nodeId.isEmpty() || controlUrl == null || version == null) {
            throw new IllegalArgumentException("nodeId, controlUrl and version are required");
        }
    }
}
