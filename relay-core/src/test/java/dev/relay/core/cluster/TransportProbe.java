package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import io.lettuce.core.resource.Transports;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.util.concurrent.TimeUnit;

/**
 * Run in a JVM of its own by {@link ClusterTransportTest}: Lettuce picks its transport once per
 * JVM, so each transport's sharing of the relay's loops is only observable in a fresh one.
 * Arguments: {@code nio|epoll|io_uring} and a Redis URL. Prints one line starting {@code PROBE }.
 */
public final class TransportProbe {
    private TransportProbe() {}

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        IoHandlerFactory factory;
        switch (transport) {
            case "nio" -> factory = NioIoHandler.newFactory();
            case "epoll" -> factory = EpollIoHandler.newFactory();
            case "io_uring" -> {
                if (!IoUring.isAvailable()) {
                    System.out.println("PROBE {\"skip\":\"io_uring unavailable: "
                            + IoUring.unavailabilityCause() + "\"}");
                    System.exit(0);
                }
                factory = IoUringIoHandler.newFactory();
            }
            default -> throw new IllegalArgumentException(transport);
        }
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, factory);
        String nodeId = "probe-" + transport.replace('_', '-');
        ClusterConfig config = new ClusterConfig(true, args[1], "", nodeId, "", 1000, 2000);
        RedisCluster cluster = (RedisCluster) Clusters.create(config,
                new NodeIdentity(config.nodeId(), "http://127.0.0.1:9", "probe"), loops,
                () -> new NodeStatus(NodeState.READY, 0, 1), e -> { });
        cluster.start().toCompletableFuture().get(15, TimeUnit.SECONDS);
        Claim claim = cluster.claim(new CallRecord("probe-call-" + transport, "default", "", 1L))
                .toCompletableFuture().get(15, TimeUnit.SECONDS);
        Owner owner = cluster.owner("probe-call-" + transport).toCompletableFuture().get(15, TimeUnit.SECONDS);
        System.out.println("PROBE {\"transport\":\"" + transport + "\",\"shared\":" + cluster.sharesLoops()
                + ",\"up\":" + cluster.up() + ",\"claim\":\"" + claim.outcome() + "\",\"owner\":\"" + owner.outcome()
                + "\",\"lettuceChannel\":\"" + Transports.socketChannelClass().getSimpleName() + "\"}");
        cluster.close();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        System.exit(0);
    }
}
