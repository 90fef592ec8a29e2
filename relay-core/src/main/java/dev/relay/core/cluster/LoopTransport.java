package dev.relay.core.cluster;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandler;
import io.netty.channel.socket.DatagramChannel;

/**
 * The IO transport an event-loop group runs, and the channel classes that can register on it. A
 * channel only registers on a loop of its own transport (an {@code EpollSocketChannel} on an
 * epoll loop, …), so a Redis client sharing the relay's loops must open channels of the relay's
 * transport, whatever it would choose alone.
 *
 * <p>Classes are named, not linked: io_uring's classes are on the class path only where the relay
 * ships them, and loading a name does not initialise (or load the natives of) a transport.
 */
enum LoopTransport {
    EPOLL("epoll", "io.netty.channel.epoll.EpollIoHandler", "io.netty.channel.epoll.EpollSocketChannel",
            "io.netty.channel.epoll.EpollDatagramChannel", "io.lettuce.core.epoll"),
    IO_URING("io_uring", "io.netty.channel.uring.IoUringIoHandler", "io.netty.channel.uring.IoUringSocketChannel",
            "io.netty.channel.uring.IoUringDatagramChannel", "io.lettuce.core.iouring"),
    NIO("nio", "io.netty.channel.nio.NioIoHandler", "io.netty.channel.socket.nio.NioSocketChannel",
            "io.netty.channel.socket.nio.NioDatagramChannel", null);

    /** Lettuce's own switch for kqueue: never the relay's transport, so always turned off. */
    private static final String LETTUCE_KQUEUE = "io.lettuce.core.kqueue";

    private final String wireName;
    private final String handler;
    private final String socketChannel;
    private final String datagramChannel;
    /** The system property with which Lettuce enables this native transport; null for NIO. */
    private final String lettuceSwitch;

    LoopTransport(String wireName, String handler, String socketChannel, String datagramChannel, String lettuceSwitch) {
        this.wireName = wireName;
        this.handler = handler;
        this.socketChannel = socketChannel;
        this.datagramChannel = datagramChannel;
        this.lettuceSwitch = lettuceSwitch;
    }

    /** {@code epoll}, {@code io_uring} or {@code nio}. */
    String wireName() {
        return wireName;
    }

    /** The transport {@code group}'s loops run, or null when it is none of these. */
    static LoopTransport of(EventLoopGroup group) {
        if (group instanceof IoEventLoopGroup io) {
            for (LoopTransport t : values()) {
                Class<? extends IoHandler> handlerType = load(t.handler, IoHandler.class);
                if (handlerType != null && io.isIoType(handlerType)) {
                    return t;
                }
            }
        }
        return null;
    }

    /** The name of {@code group}'s transport, {@code unknown} when it is none of these. */
    static String nameOf(EventLoopGroup group) {
        LoopTransport t = of(group);
        return t == null ? "unknown" : t.wireName;
    }

    Class<? extends Channel> socketChannel() {
        return load(socketChannel, Channel.class);
    }

    Class<? extends DatagramChannel> datagramChannel() {
        return load(datagramChannel, DatagramChannel.class);
    }

    /**
     * Points Lettuce's transport choice at this transport through Lettuce's own switches
     * ({@code io.lettuce.core.epoll}, {@code .iouring}, {@code .kqueue}), which it reads once, when its
     * transport classes initialise: so this must run before any Lettuce client class is used. A
     * switch the operator set with {@code -D} is left alone. One transport per process, as the relay.
     */
    void steerLettuce() {
        for (LoopTransport t : values()) {
            if (t.lettuceSwitch != null && System.getProperty(t.lettuceSwitch) == null) {
                System.setProperty(t.lettuceSwitch, Boolean.toString(t == this));
            }
        }
        if (System.getProperty(LETTUCE_KQUEUE) == null) {
            System.setProperty(LETTUCE_KQUEUE, "false");
        }
    }

    private static <T> Class<? extends T> load(String name, Class<T> type) {
        try {
            return Class.forName(name, false, LoopTransport.class.getClassLoader()).asSubclass(type);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
