package dev.relay.core.cluster;

import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.lettuce.core.resource.Transports;
import io.netty.channel.EventLoopGroup;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lettuce's {@link ClientResources} on the relay's own event loops: Redis connections, their
 * reconnects, command timeouts and host lookups all run on the loops the relay already has, so
 * the cluster adds no thread.
 *
 * <p>Lettuce picks its channel class once per JVM (epoll, else kqueue, else io_uring, else NIO),
 * and a channel registers only on a loop of its own transport. So the transport of the relay's
 * loops is read from the group ({@link LoopTransport}), Lettuce is steered to it before its
 * transport classes initialise, and the choice Lettuce then reports is checked. When it cannot be
 * shared (loops of another kind, or Lettuce initialised earlier with another transport in this
 * JVM), Lettuce gets one IO thread and one computation thread of its own, and the reason is logged.
 *
 * <p>Host names in {@code redis-url} are resolved by Netty's asynchronous DNS resolver on the same
 * loops, never by the JDK's blocking lookup. Thread-safe after construction.
 */
final class LettuceResources {
    private static final Logger log = LoggerFactory.getLogger(LettuceResources.class);

    private final ClientResources resources;
    private final AddressResolverGroup<?> resolver;
    private final boolean shared;
    private final String transport;

    private LettuceResources(ClientResources resources, AddressResolverGroup<?> resolver, boolean shared,
            String transport) {
        this.resources = resources;
        this.resolver = resolver;
        this.shared = shared;
        this.transport = transport;
    }

    /**
     * @param loops the relay's IO loops (not shut down by this class)
     * @param reconnectCapMs longest wait between reconnect attempts after a connection was lost
     */
    static LettuceResources create(EventLoopGroup loops, long reconnectCapMs) {
        LoopTransport t = LoopTransport.of(loops);
        String transport = t == null ? "unknown" : t.wireName();
        // First: it steers Lettuce's transport choice, which must precede Lettuce's resource classes.
        String unshared = whyNotShared(loops, t);
        // Full jitter: after a Redis restart the fleet's reconnects spread over the window.
        Delay reconnect = Delay.fullJitter(Duration.ofMillis(10), Duration.ofMillis(reconnectCapMs), 2,
                TimeUnit.MILLISECONDS);
        DefaultClientResources.Builder b = DefaultClientResources.builder()
                .reconnectDelay(reconnect)
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled());
        if (unshared != null) {
            log.warn("cluster: Redis client on a thread of its own, not the relay's loops: {}", unshared);
            return new LettuceResources(b.ioThreadPoolSize(1).computationThreadPoolSize(1).build(), null, false,
                    transport);
        }
        // resolv.conf and the hosts file are read now, on the caller's thread, not at a first lookup on a loop.
        AddressResolverGroup<?> resolver = new DnsAddressResolverGroup(new DnsNameResolverBuilder()
                .datagramChannelType(t.datagramChannel())
                .nameServerProvider(DnsServerAddressStreamProviders.platformDefault())
                .hostsFileEntriesResolver(HostsFileEntriesResolver.DEFAULT));
        ClientResources resources = b.eventLoopGroupProvider(new SharedLoops(loops))
                .eventExecutorGroup(loops)
                .timer(new LoopTimer(loops.next()))
                .addressResolverGroup(resolver)
                .build();
        log.debug("cluster: Redis client on the relay's {} loops", transport);
        return new LettuceResources(resources, resolver, true, transport);
    }

    /** Why Lettuce cannot open channels on {@code loops}, or null when it can. */
    private static String whyNotShared(EventLoopGroup loops, LoopTransport t) {
        if (t == null) {
            return "the relay's loops (" + loops.getClass().getSimpleName() + ") run no transport Lettuce opens"
                    + " channels for (epoll, io_uring, nio)";
        }
        if (t.socketChannel() == null || t.datagramChannel() == null) {
            return t.wireName() + " channel classes are not on the class path";
        }
        t.steerLettuce();
        Class<?> chosen = Transports.socketChannelClass();
        if (!chosen.equals(t.socketChannel())) {
            return "Lettuce already uses " + chosen.getSimpleName() + " in this JVM but the relay's loops run "
                    + t.wireName() + " (Lettuce reads io.lettuce.core.epoll/iouring once)";
        }
        return null;
    }

    ClientResources resources() {
        return resources;
    }

    /** True when the relay's loops carry the Redis connections. */
    boolean shared() {
        return shared;
    }

    /** The transport of the relay's loops, as listed for the node. */
    String transport() {
        return transport;
    }

    /** Releases what these resources own; the relay's loops are left running. */
    CompletionStage<Void> shutdown(long timeoutMs) {
        if (resolver != null) {
            resolver.close();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        resources.shutdown(0, timeoutMs, TimeUnit.MILLISECONDS).addListener(f -> done.complete(null));
        return done;
    }

    /** Hands Lettuce the relay's group for every group type it asks for, and never shuts it down. */
    private static final class SharedLoops implements EventLoopGroupProvider {
        private final EventLoopGroup loops;

        SharedLoops(EventLoopGroup loops) {
            this.loops = loops;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            // Lettuce asks for MultiThreadIoEventLoopGroup for every transport in 7.x; the relay's is one.
            return (T) loops;
        }

        @Override
        public int threadPoolSize() {
            int n = 0;
            for (var ignored : loops) {
                n++;
            }
            return n;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup group, long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }
}
