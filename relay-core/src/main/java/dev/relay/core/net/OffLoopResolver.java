package dev.relay.core.net;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Host name resolution that never blocks an event loop. Netty's default resolver calls
 * {@link InetAddress#getByName} on the channel's own loop, which stalls every call on that loop
 * while a DNS server is slow; this one runs the lookup on two shared daemon threads and completes
 * the promise from there (listeners still run on the loop). IP literals are answered inline. The
 * JDK's own positive cache (30 s by default) makes repeated lookups of the one sink host cheap.
 */
public final class OffLoopResolver extends AddressResolverGroup<InetSocketAddress> {
    /** The one instance every client bootstrap shares. */
    public static final OffLoopResolver INSTANCE = new OffLoopResolver();

    private static final ExecutorService LOOKUPS = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new DefaultThreadFactory("relay-dns", true));

    private OffLoopResolver() {}

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Lookup(executor).asAddressResolver();
    }

    private static final class Lookup extends InetNameResolver {
        Lookup(EventExecutor executor) {
            super(executor);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
            if (literal != null) {
                try {
                    promise.setSuccess(InetAddress.getByAddress(host, literal));
                } catch (UnknownHostException e) {
                    promise.setFailure(e);
                }
                return;
            }
            LOOKUPS.execute(() -> {
                try {
                    promise.trySuccess(InetAddress.getByName(host));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            LOOKUPS.execute(() -> {
                try {
                    promise.trySuccess(Arrays.asList(InetAddress.getAllByName(host)));
                } catch (UnknownHostException | RuntimeException e) {
                    promise.tryFailure(e);
                }
            });
        }
    }
}
