package dev.relay.bench.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for Alohaa's REST API ({@code POST /v1/voice-stream/call}) on 127.0.0.1 and a free
 * port, for tests and load runs: it answers as its {@link Behaviour} says and records every request
 * (method, path, headers, body) for assertions. Built on the JDK's {@code com.sun.net.httpserver},
 * one thread per request, so a slow answer never holds up the next request.
 */
public final class FakeAlohaaRest implements AutoCloseable {
    /** How the fake answers {@code POST /v1/voice-stream/call}. */
    public enum Behaviour {
        /** 200 {@code {success:true,response:{callId,status:"initiated",message}}} with a fresh callId. */
        SUCCESS,
        /** 200 {@code {success:false,error:{code:1022,reason:"Organisation does not exists"}}}. */
        FAILURE,
        /** HTTP 400 with the {@link #FAILURE} body. */
        BAD_REQUEST,
        /** HTTP 500 with a plain-text body. */
        SERVER_ERROR,
        /** Sleeps {@link #slowMs(long)} (default 5 s), then answers as {@link #SUCCESS}. */
        SLOW,
        /**
         * Holds every answer until {@link #release()}, then answers as {@link #SUCCESS}: for tests
         * that must show a caller does not wait for Alohaa, without timing how fast it returned.
         */
        HELD,
        /** 200 with an HTML body that is not JSON. */
        GARBAGE,
        /** The status and body set with {@link #respondWith(int, String)}. */
        CUSTOM
    }

    /** One request as received; header names are case-insensitive. */
    public record Recorded(String method, String path, Map<String, List<String>> headers, byte[] body) {
        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    public static final String CALL_PATH = "/v1/voice-stream/call";
    static final String FAILURE_BODY =
            "{\"success\":false,\"error\":{\"code\":1022,\"reason\":\"Organisation does not exists\"}}";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-alohaa-rest");
        t.setDaemon(true);
        return t;
    });
    private final BlockingQueue<Recorded> requests = new LinkedBlockingQueue<>();
    private final List<Recorded> all = Collections.synchronizedList(new ArrayList<>());
    private final List<String> issued = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong nextCallId = new AtomicLong(0xa47f91c2e8d4L);
    private volatile Behaviour behaviour = Behaviour.SUCCESS;
    private volatile long slowMs = 5000;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile int customStatus = 200;
    private volatile String customBody = "";

    private FakeAlohaaRest() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a fake that answers {@link Behaviour#SUCCESS}. */
    public static FakeAlohaaRest start() throws IOException {
        return new FakeAlohaaRest();
    }

    /** {@code http://127.0.0.1:port}, for {@code relay.alohaa.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeAlohaaRest behave(Behaviour b) {
        behaviour = b;
        return this;
    }

    public FakeAlohaaRest slowMs(long ms) {
        slowMs = ms;
        return this;
    }

    /** Lets every {@link Behaviour#HELD} answer go, now and from now on. */
    public FakeAlohaaRest release() {
        released.countDown();
        return this;
    }

    /** Switches to {@link Behaviour#CUSTOM}: every call is answered with {@code status} and {@code body}. */
    public FakeAlohaaRest respondWith(int status, String body) {
        customStatus = status;
        customBody = body;
        behaviour = Behaviour.CUSTOM;
        return this;
    }

    /** Every request received so far, in order. */
    public List<Recorded> requests() {
        synchronized (all) {
            return List.copyOf(all);
        }
    }

    /** The next request not yet taken, waiting up to {@code timeoutMs}; null when none came. */
    public Recorded takeRequest(long timeoutMs) throws InterruptedException {
        return requests.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The callIds handed out by successful answers, in order. */
    public List<String> issuedCallIds() {
        synchronized (issued) {
            return List.copyOf(issued);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            Recorded r = new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Collections.unmodifiableMap(headers), body);
            all.add(r);
            requests.add(r);
            if (!r.method().equals("POST") || !r.path().equals(CALL_PATH)) {
                send(exchange, 404, "application/json",
                        "{\"success\":false,\"error\":{\"code\":404,\"reason\":\"Not found\"}}");
                return;
            }
            switch (behaviour) {
                case SUCCESS -> send(exchange, 200, "application/json", success());
                case FAILURE -> send(exchange, 200, "application/json", FAILURE_BODY);
                case BAD_REQUEST -> send(exchange, 400, "application/json", FAILURE_BODY);
                case SERVER_ERROR -> send(exchange, 500, "text/plain", "Internal Server Error");
                case SLOW -> {
                    try {
                        Thread.sleep(slowMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    send(exchange, 200, "application/json", success());
                }
                case HELD -> {
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    send(exchange, 200, "application/json", success());
                }
                case GARBAGE -> send(exchange, 200, "text/html", "<html><body>Bad Gateway</body></html>");
                case CUSTOM -> send(exchange, customStatus, "application/json", customBody);
            }
        }
    }

    private String success() {
        String callId = String.format("%024x", nextCallId.getAndIncrement());
        issued.add(callId);
        return "{\"success\":true,\"response\":{\"message\":\"Call setup in progress\",\"status\":\"initiated\","
                + "\"callId\":\"" + callId + "\"}}";
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
