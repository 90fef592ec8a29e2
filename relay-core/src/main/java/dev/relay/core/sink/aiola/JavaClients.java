package dev.relay.core.sink.aiola;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.engineio.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import java.lang.reflect.Field;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every socket.io-client-java link of one factory shares: one OkHttp client whose dispatcher
 * admits as many concurrent requests per host as there can be calls (OkHttp's default of 5 per host
 * would let five calls long-poll and queue the rest), on named daemon threads; and the options each
 * connection starts from ({@code forceNew}, no multiplexing, no reconnection, no timer thread).
 */
final class JavaClients {
    private static final Logger log = LoggerFactory.getLogger(JavaClients.class);
    /** A polling connection holds up to two requests: the long poll and a POST. */
    static final int MAX_REQUESTS = 40_000;
    private static final Field ENGINE = engineField();

    private final AiolaConfig config;
    private final OkHttpClient http;
    private final URI namespaceUri;

    JavaClients(AiolaConfig config) {
        this.config = config;
        Dispatcher dispatcher = new Dispatcher(new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new DefaultThreadFactory("aiola-okhttp", true)));
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS);
        this.http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(config.stream().connectTimeoutMs(), TimeUnit.MILLISECONDS)
                // A long poll is held open up to the server's ping interval (25 s by default).
                .readTimeout(2, TimeUnit.MINUTES)
                .writeTimeout(config.stream().connectTimeoutMs(), TimeUnit.MILLISECONDS)
                .build();
        this.namespaceUri = URI.create(config.url() + config.namespace());
    }

    URI namespaceUri() {
        return namespaceUri;
    }

    long connectTimeoutMs() {
        return config.stream().connectTimeoutMs();
    }

    /** Options for one connection attempt. */
    IO.Options options(Map<String, String> query, Map<String, String> headers) {
        IO.Options o = new IO.Options();
        o.forceNew = true;
        o.multiplex = false;
        o.reconnection = false;
        o.timeout = -1;
        o.path = config.path();
        o.transports = config.transport() == AiolaConfig.AiolaTransport.POLLING
                ? new String[] {Polling.NAME}
                : new String[] {Polling.NAME, WebSocket.NAME};
        o.upgrade = config.transport() == AiolaConfig.AiolaTransport.ALL;
        o.query = encode(query);
        Map<String, List<String>> extra = new LinkedHashMap<>();
        headers.forEach((k, v) -> extra.put(k, List.of(v)));
        o.extraHeaders = extra;
        o.callFactory = http;
        o.webSocketFactory = http;
        return o;
    }

    static String encode(Map<String, String> query) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8).replace("+", "%20")).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }

    /** False when the engine cannot be reached: links then cannot count what is still unwritten. */
    static boolean tracksWrites() {
        return ENGINE != null;
    }

    /** Runs {@code action} (on the client's thread) whenever the manager's engine drains its write buffer. */
    static void onEngineDrain(Manager manager, Runnable action) {
        Socket engine = engineOf(manager);
        if (engine != null) {
            engine.on(Socket.EVENT_DRAIN, args -> action.run());
        }
    }

    /** The manager's Engine.IO socket (package-private in the library), or null. */
    static Socket engineOf(Manager manager) {
        try {
            return ENGINE == null ? null : (Socket) ENGINE.get(manager);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private static Field engineField() {
        try {
            Field f = Manager.class.getDeclaredField("engine");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("socket.io-client-java: cannot reach the engine ({}); polling links will not see backpressure",
                    e.toString());
            return null;
        }
    }

    /** Stops the HTTP threads and idle connections. */
    void shutdown() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
