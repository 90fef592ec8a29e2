package dev.relay.bench.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import dev.relay.core.net.Json;
import dev.relay.core.net.Transport;
import dev.relay.core.socketio.SocketIoClient;
import dev.relay.core.socketio.SocketIoClose;
import dev.relay.core.socketio.SocketIoCodec;
import dev.relay.core.socketio.SocketIoConnection;
import dev.relay.core.socketio.SocketIoEvent;
import dev.relay.core.socketio.SocketIoListener;
import dev.relay.core.socketio.SocketIoOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The two Socket.IO clients the aiola sink can use, side by side under the same load: N connections
 * to the npm socket.io server ({@code test-peers/aiola-server.js --quiet}, started here as its own
 * process), each emitting one {@code binary_data} chunk of PCM16 16 kHz ({@code chunk-ms}) per
 * chunk period, as calls do. It reports, for this JVM only (the server is another process): CPU per
 * emitted chunk, bytes allocated per chunk, live threads, heap after a full GC, and what the server
 * counted, so lost chunks show.
 *
 * <pre>
 *   java -cp relay-bench/target/relay-bench.jar dev.relay.bench.aiola.ClientComparison \
 *       --client netty|java-ws|java-polling --connections 1000 --seconds 20 [--chunk-ms 100] \
 *       [--test-peers test-peers] [--io-threads 2]
 * </pre>
 */
public final class ClientComparison {
    private static final ObjectMapper JSON = Json.MAPPER;
    private static final String TOKEN = "comparison-token";

    private final String client;
    private final int connections;
    private final int seconds;
    private final int chunkMs;
    private final int ioThreads;
    private final Path testPeers;
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final CountDownLatch connected;
    private Process node;
    private final BlockingQueue<JsonNode> nodeLines = new LinkedBlockingQueue<>();

    private ClientComparison(Map<String, String> args) {
        this.client = args.getOrDefault("client", "netty");
        this.connections = Integer.parseInt(args.getOrDefault("connections", "1000"));
        this.seconds = Integer.parseInt(args.getOrDefault("seconds", "20"));
        this.chunkMs = Integer.parseInt(args.getOrDefault("chunk-ms", "100"));
        this.ioThreads = Integer.parseInt(args.getOrDefault("io-threads",
                String.valueOf(Runtime.getRuntime().availableProcessors())));
        this.testPeers = Path.of(args.getOrDefault("test-peers", "test-peers"));
        this.connected = new CountDownLatch(connections);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        new ClientComparison(args).run();
    }

    private void run() throws Exception {
        int port = startNode();
        URI server = URI.create("http://127.0.0.1:" + port);
        Runnable stop;
        long start = System.nanoTime();
        switch (client) {
            case "netty" -> stop = netty(server);
            case "java-ws" -> stop = javaClient(server, false);
            case "java-polling" -> stop = javaClient(server, true);
            default -> throw new IllegalArgumentException("--client netty|java-ws|java-polling");
        }
        if (!connected.await(120, TimeUnit.SECONDS)) {
            System.out.printf("only %d of %d connected in 120 s%n", connections - connected.getCount(), connections);
        }
        double connectS = (System.nanoTime() - start) / 1e9;
        Thread.sleep(5_000); // warm-up at full rate
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long cpu0 = os.getProcessCpuTime();
        long alloc0 = allocatedBytes(threads);
        long emitted0 = emitted.get();
        long server0 = serverChunks();
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long wallNs = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long alloc = allocatedBytes(threads) - alloc0;
        long chunks = emitted.get() - emitted0;
        int liveThreads = threads.getThreadCount();
        System.gc();
        Thread.sleep(200);
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long serverChunks = serverChunks() - server0;
        long failed = failures.get();
        stop.run();
        node.destroy();
        double expected = (double) connections * wallNs / 1e6 / chunkMs;
        System.out.printf(Locale.ROOT, "client=%s connections=%d chunk=%dms window=%.1fs connect=%.1fs%n",
                client, connections, chunkMs, wallNs / 1e9, connectS);
        System.out.printf(Locale.ROOT,
                "  emitted %d chunks (%.0f%% of the %.0f due), server counted %d in the same window%n",
                chunks, 100.0 * chunks / expected, expected, serverChunks);
        System.out.printf(Locale.ROOT, "  CPU %.1f µs per chunk (%.0f%% of one core), allocated %.0f bytes per chunk%n",
                cpu / 1e3 / Math.max(1, chunks), 100.0 * cpu / wallNs, (double) alloc / Math.max(1, chunks));
        System.out.printf(Locale.ROOT, "  threads %d, heap after GC %.1f MiB, failures %d%n",
                liveThreads, heap / 1048576.0, failed);
        System.exit(0);
    }

    /**
     * Bytes allocated by all threads so far: {@code getTotalThreadAllocatedBytes} (JDK 14+, looked
     * up at run time: compiling for release 17 on newer JDKs does not see it), else the live
     * threads' sum.
     */
    private static long allocatedBytes(ThreadMXBean threads) {
        try {
            return (long) ThreadMXBean.class.getMethod("getTotalThreadAllocatedBytes").invoke(threads);
        } catch (ReflectiveOperationException | RuntimeException e) {
            long sum = 0;
            for (long b : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
                sum += Math.max(0, b);
            }
            return sum;
        }
    }

    // ---- The relay's client: every connection on one of a few event loops. ----

    private Runnable netty(URI server) {
        EventLoopGroup group = Transport.group(ioThreads);
        byte[] header = SocketIoCodec.binaryEventHeader("/events", "binary_data");
        int chunkBytes = 32 * chunkMs;
        SocketIoListener listener = new SocketIoListener() {
            @Override
            public void onConnected(SocketIoConnection c, String sid) {
                connected.countDown();
                EventLoop loop = c.channel().eventLoop();
                loop.scheduleAtFixedRate(() -> {
                    if (c.isWritable()) {
                        ByteBuf pcm = PooledByteBufAllocator.DEFAULT.directBuffer(chunkBytes);
                        pcm.writerIndex(chunkBytes);
                        c.emitBinary(header, pcm);
                        c.flush();
                        emitted.incrementAndGet();
                    }
                }, chunkMs, chunkMs, TimeUnit.MILLISECONDS);
            }

            @Override
            public void onEvent(SocketIoConnection c, SocketIoEvent event) {}

            @Override
            public void onClosed(SocketIoConnection c, SocketIoClose close) {
                if (failures.incrementAndGet() <= 3) {
                    System.out.println("closed: " + close);
                }
            }
        };
        List<SocketIoConnection> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            EventLoop loop = group.next();
            SocketIoOptions options = new SocketIoOptions(server, "/api/voice-streaming/socket.io/",
                    Map.of("execution_id", "c" + i, "x-aiola-api-token", TOKEN), Map.of("Authorization",
                    "Bearer " + TOKEN),
                    "/events", null, 60_000, null, 1 << 20);
            all.add(loop.submit(() -> SocketIoClient.connect(loop, options, listener)).syncUninterruptibly().getNow());
            pace(i);
        }
        return () -> group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    // ---- socket.io-client-java as the sink's polling link sets it up. ----

    private Runnable javaClient(URI server, boolean polling) {
        Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("okhttp", true)));
        dispatcher.setMaxRequests(40_000);
        dispatcher.setMaxRequestsPerHost(40_000);
        OkHttpClient http = new OkHttpClient.Builder().dispatcher(dispatcher).readTimeout(2, TimeUnit.MINUTES).build();
        ScheduledExecutorService ticker = Executors.newScheduledThreadPool(ioThreads, new DefaultThreadFactory("ticker",
                true));
        int chunkBytes = 32 * chunkMs;
        List<Socket> all = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            IO.Options o = new IO.Options();
            o.forceNew = true;
            o.multiplex = false;
            o.reconnection = false;
            o.timeout = -1;
            o.path = "/api/voice-streaming/socket.io/";
            o.transports = polling ? new String[] {Polling.NAME} : new String[] {WebSocket.NAME};
            o.query = "execution_id=c" + i + "&x-aiola-api-token=" + TOKEN;
            o.extraHeaders = Map.of("Authorization", List.of("Bearer " + TOKEN));
            o.callFactory = http;
            o.webSocketFactory = http;
            Socket socket = IO.socket(URI.create(server + "/events"), o);
            socket.on(Socket.EVENT_CONNECT, a -> {
                connected.countDown();
                ticker.scheduleAtFixedRate(() -> {
                    // The relay's chunks are pooled buffers; this client needs a byte[] each time.
                    socket.emit("binary_data", (Object) new byte[chunkBytes]);
                    emitted.incrementAndGet();
                }, chunkMs, chunkMs, TimeUnit.MILLISECONDS);
            });
            socket.on(Socket.EVENT_CONNECT_ERROR, a -> {
                failures.incrementAndGet();
                System.out.println("connect error: " + (a.length > 0 ? a[0] : ""));
            });
            socket.on(Socket.EVENT_DISCONNECT, a -> failures.incrementAndGet());
            socket.connect();
            all.add(socket);
            pace(i);
        }
        return () -> {
            ticker.shutdownNow();
            all.forEach(Socket::close);
        };
    }

    /** Connections are opened at about 200 a second, as calls arrive, not in one burst. */
    private static void pace(int i) {
        if (i % 20 == 19) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- The server process. ----

    private int startNode() throws Exception {
        node = new ProcessBuilder("node", testPeers.resolve("aiola-server.js").toString(), "--quiet", "--token", TOKEN,
                "--transports", "websocket,polling").redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("{")) {
                        nodeLines.add(JSON.readTree(line));
                    } else {
                        System.out.println("node: " + line);
                    }
                }
            } catch (IOException e) {
                // process ended
            }
        }, "node-reader");
        reader.setDaemon(true);
        reader.start();
        JsonNode listening = next("listening");
        return listening.path("port").asInt();
    }

    private long serverChunks() throws Exception {
        OutputStream in = node.getOutputStream();
        in.write("{\"cmd\":\"stats\"}\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        return next("stats").path("totalChunks").asLong();
    }

    private JsonNode next(String type) throws InterruptedException {
        while (true) {
            JsonNode l = nodeLines.poll(30, TimeUnit.SECONDS);
            if (l == null) {
                throw new IllegalStateException("node said no '" + type + "' within 30 s");
            }
            if (type.equals(l.path("type").asText())) {
                return l;
            }
        }
    }
}
