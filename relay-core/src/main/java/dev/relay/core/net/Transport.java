package dev.relay.core.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.ThreadFactory;

/**
 * A Netty IO transport: the handler its event loops run and the channel classes that register on
 * them. A channel registers only on a loop of its own transport (an {@code EpollSocketChannel} on
 * an epoll loop, …), so whoever opens a socket asks for the channel class of the loop it registers
 * on ({@link #socketChannel(EventLoopGroup)}, {@link #serverChannel(EventLoopGroup)}) rather than
 * assume one transport per process: a relay configured with {@code relay.transport = nio} and a
 * test client on epoll loops can share a JVM.
 *
 * <p>Which transport a relay runs is {@link TransportChoice}'s decision. The class literals below
 * load a transport's classes without initialising them; only {@link #available()} (Netty's cached
 * probe) and {@link #newGroup} touch its native code.
 *
 * <p>Stateless and thread-safe.
 */
public enum Transport {
    IO_URING("io_uring", IoUringIoHandler.class) {
        @Override
        IoHandlerFactory handlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannelType() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelType() {
            return IoUringSocketChannel.class;
        }

        @Override
        Throwable probe() {
            return IoUring.isAvailable() ? null : orUnknown(IoUring.unavailabilityCause());
        }
    },
    EPOLL("epoll", EpollIoHandler.class) {
        @Override
        IoHandlerFactory handlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannelType() {
            return EpollServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelType() {
            return EpollSocketChannel.class;
        }

        @Override
        Throwable probe() {
            return Epoll.isAvailable() ? null : orUnknown(Epoll.unavailabilityCause());
        }
    },
    NIO("nio", NioIoHandler.class) {
        @Override
        IoHandlerFactory handlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        public Class<? extends ServerSocketChannel> serverChannelType() {
            return NioServerSocketChannel.class;
        }

        @Override
        public Class<? extends SocketChannel> socketChannelType() {
            return NioSocketChannel.class;
        }

        @Override
        Throwable probe() {
            return null;
        }
    };

    private final String label;
    private final Class<? extends IoHandler> handlerType;

    Transport(String label, Class<? extends IoHandler> handlerType) {
        this.label = label;
        this.handlerType = handlerType;
    }

    abstract IoHandlerFactory handlerFactory();

    /** Why this transport cannot run here, or null when it can; Netty probes once per JVM. */
    abstract Throwable probe();

    /** The server socket channel class for this transport's loops. */
    public abstract Class<? extends ServerSocketChannel> serverChannelType();

    /** The client socket channel class for this transport's loops. */
    public abstract Class<? extends SocketChannel> socketChannelType();

    /** {@code io_uring}, {@code epoll} or {@code nio}: the value of {@code relay.transport} that insists on it. */
    public String label() {
        return label;
    }

    /** True when this kernel and JVM can run the transport. */
    public boolean available() {
        return unavailability() == null;
    }

    /** Why the transport cannot run here (one line), or null when it can. */
    public String unavailability() {
        Throwable cause;
        try {
            cause = probe();
        } catch (LinkageError e) {
            // The transport's classes or natives are not on the class path (a trimmed build).
            cause = e;
        }
        if (cause == null) {
            return null;
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }

    /** {@code threads} event loops of this transport (Netty's default thread names). */
    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, handlerFactory());
    }

    /**
     * {@code threads} event loops of this transport that let readiness gather for {@code
     * coalesceNanos} before each poll ({@link CoalescingSelectStrategy}); 0 wakes on every
     * message. io_uring's loops take no select strategy and ignore it ({@link #coalesces()}).
     */
    public EventLoopGroup newGroup(int threads, long coalesceNanos) {
        if (coalesceNanos <= 0 || !coalesces()) {
            return newGroup(threads);
        }
        SelectStrategyFactory gathering = () -> new CoalescingSelectStrategy(coalesceNanos);
        IoHandlerFactory handlers = this == EPOLL ? EpollIoHandler.newFactory(0, gathering)
                : NioIoHandler.newFactory(SelectorProvider.provider(), gathering);
        return new MultiThreadIoEventLoopGroup(threads, handlers);
    }

    /** True when this transport's loops can coalesce wake-ups (epoll and NIO: they take a select strategy). */
    public boolean coalesces() {
        return this != IO_URING;
    }

    /** {@code threads} event loops of this transport, named by {@code threadFactory}. */
    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, handlerFactory());
    }

    /**
     * The transport {@code group}'s loops run (a single {@link io.netty.channel.EventLoop} is a
     * group too).
     *
     * @throws IllegalArgumentException when they run none of these (local or embedded loops)
     */
    public static Transport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            for (Transport t : values()) {
                if (io.isIoType(t.handlerType)) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException(group.getClass().getName() + " runs no socket transport (io_uring, epoll,"
                + " nio)");
    }

    /** The client socket channel class that registers on {@code group}'s loops. */
    public static Class<? extends SocketChannel> socketChannel(EventLoopGroup group) {
        return of(group).socketChannelType();
    }

    /** The server socket channel class that registers on {@code group}'s loops. */
    public static Class<? extends ServerSocketChannel> serverChannel(EventLoopGroup group) {
        return of(group).serverChannelType();
    }

    /**
     * {@code threads} event loops of the process's default transport
     * ({@link TransportChoice#processDefault()}: {@code -Drelay.transport}, else auto), for tools and
     * tests that have no relay config.
     */
    public static EventLoopGroup group(int threads) {
        return TransportChoice.processDefault().transport().newGroup(threads);
    }

    /** The transport named {@code label} ({@code io_uring}, {@code epoll}, {@code nio}), or null. */
    public static Transport byLabel(String label) {
        for (Transport t : values()) {
            if (t.label.equalsIgnoreCase(label.trim().replace('-', '_'))) {
                return t;
            }
        }
        return null;
    }

    private static Throwable orUnknown(Throwable cause) {
        return cause != null ? cause : new IllegalStateException("unavailable, cause unknown");
    }
}
