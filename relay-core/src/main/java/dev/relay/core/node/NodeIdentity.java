package dev.relay.core.node;

import dev.relay.core.config.RelayConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who this node is, for the status route and (later) the cluster: its id and the relay's version.
 * Called once at start, on the starting thread (the host name lookup may touch the resolver).
 */
public final class NodeIdentity {
    private NodeIdentity() {}

    /**
     * The node id: {@code <hostname>-<telephony port>}, SPEC §8.3's default for
     * {@code relay.cluster.node-id}. The one place that decides it: when the cluster config
     * lands, an explicit {@code relay.cluster.node-id} belongs here.
     */
    public static String nodeId(RelayConfig config, int telephonyPort) {
        return hostName() + "-" + telephonyPort;
    }

    /** {@code Implementation-Version} of the relay jar's manifest; {@code dev} when run from classes. */
    public static String version() {
        String v = NodeIdentity.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? "dev" : v;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
