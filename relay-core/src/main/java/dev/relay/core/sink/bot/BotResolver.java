package dev.relay.core.sink.bot;

import dev.relay.core.net.OffLoopResolver;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.function.BiConsumer;

/**
 * Resolves the bot's host name off the IO loops, through the relay's one {@link OffLoopResolver}
 * (Netty's default resolver would block the call's loop while DNS answers); the result comes back
 * on the call's loop. IP literals need no lookup. Thread-safe.
 */
final class BotResolver {
    private final String host;
    private final int port;
    private final InetSocketAddress literal;

    BotResolver(String host, int port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        this.host = bare;
        this.port = port;
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(bare);
        if (ip == null) {
            this.literal = null;
        } else {
            try {
                this.literal = new InetSocketAddress(InetAddress.getByAddress(bare, ip), port);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(bare, e);
            }
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
        OffLoopResolver.INSTANCE.getResolver(loop).resolve(InetSocketAddress.createUnresolved(host, port))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        done.accept((InetSocketAddress) f.getNow(), null);
                    } else {
                        done.accept(null, f.cause());
                    }
                });
    }
}
