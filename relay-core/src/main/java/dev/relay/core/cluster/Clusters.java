package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import dev.relay.core.event.CallEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the cluster engine for a configuration: Redis when enabled, a cluster of one otherwise. */
public final class Clusters {
    private static final Logger log = LoggerFactory.getLogger(Clusters.class);

    private Clusters() {}

    /**
     * The engine for {@code config}; not started ({@link Cluster#start}).
     *
     * @param identity this node's id (normally {@code config.nodeId()}), control URL and version
     * @param loops the relay's IO loops: the engine's connections, timers and heartbeat run on them;
     *     the engine never shuts them down, so stop it before them
     * @param status read at every heartbeat (must not block)
     * @param localEvents receives {@code call.lost} for the calls of dead nodes this node reaped, to
     *     publish on its local event bus (must not block); from there it reaches the other nodes like
     *     every local event, through {@link Cluster#publish}, which the wiring subscribes to the bus
     */
    public static Cluster create(ClusterConfig config, NodeIdentity identity, EventLoopGroup loops,
            Supplier<NodeStatus> status, Consumer<CallEvent> localEvents) {
        if (!config.enabled()) {
            return new SingleNodeCluster(identity, LoopTransport.nameOf(loops), status);
        }
        return new RedisCluster(config, identity, loops, status, localEvents);
    }

    /**
     * Waits up to {@code timeoutMs} for {@code stage}, swallowing its outcome.
     *
     * @throws IllegalStateException on one of {@code loops}, which must never wait
     */
    static void awaitOffLoop(CompletionStage<Void> stage, long timeoutMs, EventLoopGroup loops) {
        for (EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                throw new IllegalStateException("Cluster.close() waits: on an event loop use stop()");
            }
        }
        try {
            stage.toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("cluster: stop did not finish within {} ms", timeoutMs);
        }
    }
}
