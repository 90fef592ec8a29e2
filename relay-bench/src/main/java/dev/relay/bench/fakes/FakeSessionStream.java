package dev.relay.bench.fakes;

import dev.relay.core.net.Transport;
import dev.relay.core.net.TransportChoice;
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
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the session ingest service (SPEC §5.2, {@code session-stream-upload-api.txt}) on
 * Netty, for tests and the load generator: {@code POST /voice/v1/sessions} (checks the API key
 * header and {@code upload_type}, answers {@code session_id} and a {@code ws://} {@code upload_url}
 * carrying an internal stream id and token), the upload WebSocket (wire detected from the first
 * frame, audio counted per session, optionally recorded and handed to an {@link AudioListener}
 * with its arrival time), {@code POST …/end} and {@code GET …} (202 for a number of polls after
 * end, then 200 with a JSON result).
 *
 * <p>Fault switches, all changeable while running: {@link #refuseConnections} (the listening
 * socket is closed: connection refused), {@link #rejectApiKey} (401 on REST),
 * {@link #rejectUploads} (that status on the upgrade), {@link #failCreates} (503 on the next
 * creates), {@link #dieAfterFrames} (each session's first upload connection is dropped after N
 * frames), {@link #stall} (upload sockets stop reading: {@code autoRead} off), {@link #garbage}
 * (non-JSON create or result, or non-HTTP bytes on the upgrade) and {@link #endStatuses} (e.g.
 * 500, 202, 200 for successive end calls).
 *
 * <p>Built for thousands of concurrent sessions: a few event loops, per-session state in
 * concurrent maps, no JSON tree per audio message, audio kept only when {@link Builder#recordAudio}.
 */
public final class FakeSessionStream implements AutoCloseable {
    /** Receives every audio message as it arrives, on the fake's event loop: return quickly. */
    @FunctionalInterface
    public interface AudioListener {
        /**
         * @param offsetSamples where the message starts among the samples this session received
         * @param timestampMs the envelope's {@code media.timestamp}, or -1 on the raw wire
         * @param pcm PCM16 LE 16 kHz mono; valid only during the call, not to be released
         * @param arrivalNanos {@link System#nanoTime()} when the frame was read
         */
        void onAudio(FakeSession session, long offsetSamples, long timestampMs, ByteBuf pcm, long arrivalNanos);
    }

    /** Where {@link #garbage} puts its garbage. */
    public enum Garbage {
        NONE,
        /** Create answers 200 with an HTML page. */
        CREATE,
        /** The upload URL answers the upgrade with bytes that are not HTTP, then closes. */
        UPLOAD,
        /** The final GET answers 200 with a body that is not JSON. */
        RESULT
    }

    /** Settings fixed at start. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int threads = 1;
        private String apiKeyHeader = "x-api-key";
        private String apiKey;
        private boolean recordAudio = true;
        private AudioListener listener;
        private int pendingPolls = 1;
        private Transport transport;
        private ThreadFactory threadFactory;

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Event loops serving the connections (default 1). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder apiKeyHeader(String header) {
            this.apiKeyHeader = header;
            return this;
        }

        /** The key create/end/get must carry; null (the default) accepts any request. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** Keep every session's audio for {@link FakeSession#audio()} (default true; off for load runs). */
        public Builder recordAudio(boolean record) {
            this.recordAudio = record;
            return this;
        }

        public Builder listener(AudioListener listener) {
            this.listener = listener;
            return this;
        }

        /** The loops' transport (default: the process default, {@code -Drelay.transport} or auto). */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** Names the loops' threads (default: Netty's names). */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = threadFactory;
            return this;
        }

        /** GETs answered 202 after end before the 200 (default 1). */
        public Builder pendingPolls(int polls) {
            this.pendingPolls = polls;
            return this;
        }

        public FakeSessionStream start() throws InterruptedException {
            return new FakeSessionStream(this);
        }
    }

    private final String host;
    private final String apiKeyHeader;
    private final String apiKey;
    private final boolean recordAudio;
    private final AudioListener listener;
    private final EventLoopGroup group;
    private final ServerBootstrap bootstrap;
    private final ChannelGroup uploads = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Map<String, FakeSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, FakeSession> byStream = new ConcurrentHashMap<>();
    private final List<FakeSession> order = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong badMessages = new AtomicLong();
    private final AtomicInteger createFailures = new AtomicInteger();
    private final int port;
    private volatile Channel listening;
    private volatile int pendingPolls;
    private volatile boolean rejectApiKey;
    private volatile int rejectUploads;
    private volatile int dieAfterFrames;
    private volatile boolean stall;
    private volatile Garbage garbage = Garbage.NONE;
    private volatile int[] endStatuses = {202};

    private FakeSessionStream(Builder b) throws InterruptedException {
        this.host = b.host;
        this.apiKeyHeader = b.apiKeyHeader;
        this.apiKey = b.apiKey;
        this.recordAudio = b.recordAudio;
        this.listener = b.listener;
        this.pendingPolls = b.pendingPolls;
        Transport transport = b.transport != null ? b.transport : TransportChoice.processDefault().transport();
        this.group = b.threadFactory != null ? transport.newGroup(b.threads, b.threadFactory)
                : transport.newGroup(b.threads);
        this.bootstrap = new ServerBootstrap()
                .group(group)
                .channel(Transport.serverChannel(group))
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new FakeSessionHttp(FakeSessionStream.this));
                    }
                });
        this.listening = bootstrap.bind(host, b.port).sync().channel();
        this.port = ((InetSocketAddress) listening.localAddress()).getPort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A fake on 127.0.0.1, a free port, any API key accepted, audio recorded. */
    public static FakeSessionStream start() throws InterruptedException {
        return builder().start();
    }

    /** {@code http://host:port}, for {@code relay.sinks.session-stream.base-url}. */
    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    public int port() {
        return port;
    }

    // ---- Faults. ----

    /** True: close the listening socket, so new connections are refused; false: listen again (same port). */
    public synchronized FakeSessionStream refuseConnections(boolean refuse) throws InterruptedException {
        if (refuse && listening != null) {
            listening.close().sync();
            listening = null;
        } else if (!refuse && listening == null) {
            listening = bootstrap.bind(host, port).sync().channel();
        }
        return this;
    }

    /**
     * Drops every open upload socket without a close frame (sessions stay): a service restart as
     * the relay sees it. Returns how many were open.
     */
    public int dropUploads() {
        int n = uploads.size();
        uploads.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        return n;
    }

    /** Answer 401 to every REST call. */
    public FakeSessionStream rejectApiKey(boolean reject) {
        rejectApiKey = reject;
        return this;
    }

    /** Answer every upload upgrade with {@code status} (0: accept). */
    public FakeSessionStream rejectUploads(int status) {
        rejectUploads = status;
        return this;
    }

    /** The next {@code n} creates answer 503. */
    public FakeSessionStream failCreates(int n) {
        createFailures.set(n);
        return this;
    }

    /** Drop each session's first upload connection after {@code frames} audio messages (0: never). */
    public FakeSessionStream dieAfterFrames(int frames) {
        dieAfterFrames = frames;
        return this;
    }

    /** Stop (or resume) reading every upload socket, open now or opened later. */
    public FakeSessionStream stall(boolean stalled) {
        stall = stalled;
        for (Channel ch : uploads) {
            ch.config().setAutoRead(!stalled);
        }
        return this;
    }

    public FakeSessionStream garbage(Garbage where) {
        garbage = where;
        return this;
    }

    /** Statuses of successive end calls per session; the last one repeats (default 202). */
    public FakeSessionStream endStatuses(int... statuses) {
        if (statuses.length == 0) {
            throw new IllegalArgumentException("at least one status");
        }
        endStatuses = statuses.clone();
        return this;
    }

    public FakeSessionStream pendingPolls(int polls) {
        pendingPolls = polls;
        return this;
    }

    // ---- Inspection. ----

    /** Sessions created so far, oldest first. */
    public List<FakeSession> sessions() {
        synchronized (order) {
            return List.copyOf(order);
        }
    }

    public FakeSession session(String id) {
        return sessions.get(id);
    }

    /** The {@code n}-th session created (0-based), waiting up to {@code timeoutMs} for it. */
    public FakeSession awaitSession(int n, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() < deadline) {
            synchronized (order) {
                if (order.size() > n) {
                    return order.get(n);
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no session #" + n + " within " + timeoutMs + " ms");
    }

    /** Envelope messages the fake could not read. */
    public long badMessages() {
        return badMessages.get();
    }

    /** Upload sockets open now. */
    public int openUploads() {
        return uploads.size();
    }

    @Override
    public void close() {
        Channel l = listening;
        if (l != null) {
            l.close().syncUninterruptibly();
        }
        uploads.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- For the handlers. ----

    String apiKeyHeader() {
        return apiKeyHeader;
    }

    boolean authorised(String presented) {
        return !rejectApiKey && (apiKey == null || apiKey.equals(presented));
    }

    boolean takeCreateFailure() {
        return createFailures.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }

    Garbage garbage() {
        return garbage;
    }

    int rejectUploads() {
        return rejectUploads;
    }

    int dieAfterFrames() {
        return dieAfterFrames;
    }

    int pendingPolls() {
        return pendingPolls;
    }

    AudioListener listener() {
        return listener;
    }

    int endStatus(int call) {
        int[] s = endStatuses;
        return s[Math.min(call, s.length) - 1];
    }

    void countBadMessage() {
        badMessages.incrementAndGet();
    }

    FakeSession newSession(String createBody) {
        long n = ids.incrementAndGet();
        FakeSession s = new FakeSession(String.format("sess_%08d", n), String.format("st_%08x",
                n * 2654435761L & 0xFFFFFFFFL),
                Long.toHexString(ThreadLocalRandom.current().nextLong()), createBody, recordAudio);
        sessions.put(s.id(), s);
        byStream.put(s.streamId(), s);
        synchronized (order) {
            order.add(s);
        }
        return s;
    }

    FakeSession sessionByStream(String streamId) {
        return byStream.get(streamId);
    }

    String uploadUrl(FakeSession s) {
        return "ws://" + host + ":" + port + FakeSessionHttp.STREAM + s.streamId() + "?token=" + s.token();
    }

    void uploadOpened(Channel ch) {
        uploads.add(ch);
        if (stall) {
            ch.config().setAutoRead(false);
        }
    }

    /**
     * Runs a fake until killed: {@code [--host H] [--port P] [--threads N] [--api-key K]
     * [--pending-polls N] [--record]}. Prints the base URL. Audio is only counted unless
     * {@code --record}: a long run at thousands of calls would otherwise fill the heap.
     */
    public static void main(String[] args) throws Exception {
        Builder b = builder().recordAudio(false);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--host" -> b.host(args[++i]);
                case "--port" -> b.port(Integer.parseInt(args[++i]));
                case "--threads" -> b.threads(Integer.parseInt(args[++i]));
                case "--api-key" -> b.apiKey(args[++i]);
                case "--pending-polls" -> b.pendingPolls(Integer.parseInt(args[++i]));
                case "--record" -> b.recordAudio(true);
                default -> {
                    System.err.println("usage: FakeSessionStream [--host H] [--port P] [--threads N] [--api-key K]"
                            + " [--pending-polls N] [--record]");
                    System.exit(2);
                }
            }
        }
        FakeSessionStream fake = b.start();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fake.close();
            stop.countDown();
        }));
        System.out.println("session-stream fake listening on " + fake.baseUrl());
        stop.await();
    }
}
