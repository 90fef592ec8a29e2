package dev.relay.bench.fakes;

import dev.relay.core.net.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small Socket.IO v5 / Engine.IO v4 server on Netty standing in for aiOla's streaming STT: it
 * speaks just enough of the protocol for a real client to connect over the WebSocket transport
 * (open packet, server pings, namespace connect), and hands every binary attachment
 * ({@code 451-/events,["binary_data",{"_placeholder":true,"num":0}]} then one binary frame) to a
 * {@link Listener} with its arrival time. It can push events ({@code transcript}) to a connection.
 *
 * <p>Only the WebSocket transport: an HTTP long-polling handshake is refused with Engine.IO's
 * {@code Transport unknown} error (400), as a server configured with {@code transports:
 * ["websocket"]} does. Listens on 127.0.0.1 only.
 *
 * <p>Threads: the server runs on the event loops it is given (the load generator shares its own);
 * listener methods run on the connection's loop and must not block.
 */
public final class FakeSocketIoServer implements AutoCloseable {
    /** The path aiOla serves Socket.IO on (SPEC §5.1). */
    public static final String DEFAULT_PATH = "/api/voice-streaming/socket.io/";
    /** The namespace every official aiOla SDK connects to. */
    public static final String DEFAULT_NAMESPACE = "/events";

    /** What the server reports; all methods run on the connection's event loop. */
    public interface Listener {
        /** The client joined the namespace; {@link Connection#tag(Object)} may be set here. */
        default void onConnect(Connection connection) {}

        /**
         * One binary attachment of a binary event. {@code attachment} is only valid during the
         * call (it is released afterwards); {@code arrivalNanos} is {@link System#nanoTime()} when
         * its WebSocket frame was read.
         */
        void onBinary(Connection connection, String event, ByteBuf attachment, long arrivalNanos);

        /** A non-binary event, with its arguments as the JSON array text after the name. */
        default void onEvent(Connection connection, String event, String json) {}

        /** The connection closed (either side). */
        default void onClose(Connection connection) {}
    }

    /** One client connection, as the listener sees it. */
    public interface Connection {
        /** Engine.IO session id. */
        String sid();

        /** The handshake's query parameters (first value each). */
        Map<String, String> query();

        /** A request header of the handshake, or null. */
        String header(String name);

        /** Whatever the listener attached. */
        Object tag();

        void tag(Object tag);

        /** Sends {@code 42<nsp>,["event",<json>]}; {@code json} is one JSON value. Any thread. */
        void emit(String event, String json);

        /** Sends a Socket.IO disconnect and closes the WebSocket. Any thread. */
        void close();
    }

    /** Settings; {@code new Options()} gives aiOla's path and namespace and engine.io's default timers. */
    public static final class Options {
        String path = DEFAULT_PATH;
        String namespace = DEFAULT_NAMESPACE;
        long pingIntervalMs = 25_000;
        long pingTimeoutMs = 20_000;
        int maxPayloadBytes = 1_000_000;
        String rejectConnect;
        SslContext ssl;

        public Options path(String path) {
            this.path = path;
            return this;
        }

        public Options namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Engine.IO heartbeat: a ping every interval, and the client must pong within the timeout. */
        public Options ping(long intervalMs, long timeoutMs) {
            this.pingIntervalMs = intervalMs;
            this.pingTimeoutMs = timeoutMs;
            return this;
        }

        public Options maxPayloadBytes(int bytes) {
            this.maxPayloadBytes = bytes;
            return this;
        }

        /** Serve {@code https}/{@code wss} with this context (null: plain). */
        public Options ssl(SslContext ssl) {
            this.ssl = ssl;
            return this;
        }

        /** Answer every namespace connect with a CONNECT_ERROR carrying {@code message} (null: accept). */
        public Options rejectConnect(String message) {
            this.rejectConnect = message;
            return this;
        }
    }

    /** Counters over all connections since start. */
    public static final class Stats {
        final LongAdder connections = new LongAdder();
        final LongAdder binaryEvents = new LongAdder();
        final LongAdder binaryBytes = new LongAdder();
        final LongAdder events = new LongAdder();
        final LongAdder protocolErrors = new LongAdder();

        public long connections() {
            return connections.sum();
        }

        public long binaryEvents() {
            return binaryEvents.sum();
        }

        public long binaryBytes() {
            return binaryBytes.sum();
        }

        public long events() {
            return events.sum();
        }

        /** Packets the fake could not make sense of (logged once per connection). */
        public long protocolErrors() {
            return protocolErrors.sum();
        }
    }

    private final EventLoopGroup group;
    private final Options options;
    private final Listener listener;
    private final Stats stats = new Stats();
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel server;
    private int port;

    private FakeSocketIoServer(EventLoopGroup group, Options options, Listener listener) {
        this.group = group;
        this.options = options;
        this.listener = listener;
    }

    /**
     * Binds 127.0.0.1:{@code port} (0 for a free port) on {@code group}, which the caller owns and
     * shuts down; the group must be of {@link Transport}'s kind (epoll where it loads).
     */
    public static FakeSocketIoServer start(EventLoopGroup group, int port, Options options, Listener listener)
            throws InterruptedException {
        FakeSocketIoServer fake = new FakeSocketIoServer(group, options, listener);
        fake.bind(port);
        return fake;
    }

    private void bind(int port) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel(group))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (options.ssl != null) {
                            ch.pipeline().addLast("tls", options.ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec())
                                .addLast("http-aggregator", new HttpObjectAggregator(16 * 1024))
                                .addLast("engine-io", new SocketIoUpgrade(options, listener, stats));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    public int port() {
        return port;
    }

    /**
     * True: close the listening socket, so new connections are refused (ECONNREFUSED) while open
     * ones stay; false: listen again on the same port. For the soak's "refuse reconnects" fault.
     */
    public synchronized FakeSocketIoServer refuseConnections(boolean refuse) throws InterruptedException {
        if (refuse && server != null) {
            server.close().sync();
            server = null;
        } else if (!refuse && server == null) {
            bind(port);
        }
        return this;
    }

    /**
     * Drops every open connection at once, without a Socket.IO disconnect or a WebSocket close
     * frame: what a crashed service or a cut network looks like to the relay. Returns how many.
     */
    public int killConnections() {
        int n = channels.size();
        for (Channel ch : channels) {
            // Linger 0: the peer sees a reset, not an orderly end of stream.
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        return n;
    }

    /** {@code http(s)://127.0.0.1:<port>}: what the aiOla sink's {@code url} is set to. */
    public String url() {
        return (options.ssl != null ? "https" : "http") + "://127.0.0.1:" + port();
    }

    public Stats stats() {
        return stats;
    }

    /** Sockets open now (handshaking or connected). */
    public int openSockets() {
        return channels.size();
    }

    /** Paths this fake answers, for diagnostics. */
    public List<String> paths() {
        return List.of(options.path);
    }

    /** Closes the listener and every connection; the event loops stay up (the caller owns them). */
    @Override
    public void close() {
        if (server != null) {
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
