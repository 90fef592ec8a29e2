package dev.relay.core.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/** Native epoll when it loads (Linux), NIO otherwise; one choice for the whole process. */
public final class Transport {
    private Transport() {}

    public static boolean epoll() {
        return Epoll.isAvailable() && !Boolean.getBoolean("relay.transport.nio");
    }

    public static String name() {
        return epoll() ? "epoll" : "nio";
    }

    public static EventLoopGroup group(int threads) {
        IoHandlerFactory factory = epoll() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, factory);
    }

    public static Class<? extends ServerSocketChannel> serverChannel() {
        return epoll() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public static Class<? extends SocketChannel> clientChannel() {
        return epoll() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
