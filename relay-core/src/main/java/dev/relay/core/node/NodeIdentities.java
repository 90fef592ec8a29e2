package dev.relay.core.node;

import dev.relay.core.cluster.NodeIdentity;
import dev.relay.core.config.ClusterConfig;
import dev.relay.core.config.RelayConfig;
import java.net.InetSocketAddress;

/**
 * Decides who this node is, for the status route and the cluster: its id, the control URL other
 * nodes reach it by, and the relay's version. The one place that decides the node id. Called once
 * at start, on the starting thread (the host name may be read from the system).
 */
public final class NodeIdentities {
    private NodeIdentities() {}

    /**
     * The node id: {@code relay.cluster.node-id} when set, else SPEC §8.3's default
     * {@code <hostname>-<telephony port>}, with the port the telephony listener is bound to (so a
     * relay configured with port 0, as tests are, is named by the port it got).
     */
    public static String nodeId(RelayConfig config, int boundTelephonyPort) {
        String configured = config.cluster().nodeId();
        return configured.isEmpty()
                ? ClusterConfig.derivedNodeId(ClusterConfig.localHostname(), boundTelephonyPort)
                : configured;
    }

    /** The node as the cluster knows it, once both listeners are bound. */
    public static NodeIdentity of(RelayConfig config, int boundTelephonyPort, InetSocketAddress boundControl) {
        return new NodeIdentity(nodeId(config, boundTelephonyPort), config.cluster().controlUrlFor(boundControl),
                version());
    }

    /** {@code Implementation-Version} of the relay jar's manifest; {@code dev} when run from classes. */
    public static String version() {
        String v = NodeIdentities.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }
}
