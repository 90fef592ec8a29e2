package dev.relay.core.sink.bot;

import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Resolves the bot's host name off the IO loops. Netty's default resolver calls the JDK's blocking
 * lookup on the event loop, which would stall every call on that loop while DNS answers; so names
 * are looked up on two small daemon threads (the JDK caches answers) and the result is handed back
 * to the call's loop. IP literals need no lookup. Thread-safe.
 */
final class BotResolver {
    private final String host;
    private final int port;
    private final InetSocketAddress literal;
    private final ExecutorService lookups;

    BotResolver(String host, int port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        this.host = bare;
        this.port = port;
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(bare);
        if (ip != null) {
            InetSocketAddress address;
            try {
                address = new InetSocketAddress(InetAddress.getByAddress(bare, ip), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(bare, e);
            }
            this.literal = address;
            this.lookups = null;
        } else {
            this.literal = null;
            ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "media-stream-dns");
                t.setDaemon(true);
                return t;
            });
            pool.allowCoreThreadTimeOut(true);
            this.lookups = pool;
        }
    }

    /** The host as given to TLS for SNI and certificate checks. */
    String host() {
        return host;
    }

    int port() {
        return port;
    }

    /** Calls {@code done} on {@code loop} with the address, or with the lookup's failure. */
    void resolve(EventLoop loop, BiConsumer<InetSocketAddress, Throwable> done) {
        if (literal != null) {
            done.accept(literal, null);
            return;
        }
        try {
            lookups.execute(() -> {
                try {
                    InetSocketAddress a = new InetSocketAddress(InetAddress.getByName(host), port);
                    loop.execute(() -> done.accept(a, null));
                } catch (UnknownHostException | RuntimeException e) {
                    loop.execute(() -> done.accept(null, e));
                }
            });
        } catch (RuntimeException rejected) {
            done.accept(null, rejected);
        }
    }

    void shutdown() {
        if (lookups != null) {
            lookups.shutdownNow();
        }
    }
}
