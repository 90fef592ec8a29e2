package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import dev.relay.core.event.CallEvent;
import io.netty.channel.EventLoopGroup;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Picks the cluster engine for a configuration: Redis when enabled, a cluster of one otherwise. */
public final class Clusters {
    private Clusters() {}

    /**
     * The engine for {@code config}; not started ({@link Cluster#start}).
     *
     * @param identity this node's id (normally {@code config.nodeId()}), control URL and version
     * @param loops the relay's IO loops: the engine's connections, timers and heartbeat run on them;
     *     the engine never shuts them down, so stop it before them
     * @param status read at every heartbeat (must not block)
     * @param localEvents receives {@code call.lost} for the calls of dead nodes this node reaped, to
     *     publish on its local event bus (must not block)
     */
    public static Cluster create(ClusterConfig config, NodeIdentity identity, EventLoopGroup loops,
            Supplier<NodeStatus> status, Consumer<CallEvent> localEvents) {
        if (config.enabled()) {
            throw new UnsupportedOperationException("the Redis engine is not built yet");
        }
        return new SingleNodeCluster(identity, LoopTransport.nameOf(loops), status);
    }
}
