package dev.relay.core.control.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.relay.core.RelayServer;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.EventsConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Event webhook delivery to a JDK HttpServer on loopback: shape, retries, give-up, bounded queue. */
@Timeout(60)
class ControlWebhookTest {
    private static final ObjectMapper JSON = Json.MAPPER;

    /** One request the fake receiver got. */
    record Received(String contentType, String body) {}

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final ExecutorService handlers = Executors.newFixedThreadPool(8);
    private HttpServer server;
    private RelayServer relay;
    private EventWebhook webhook;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (webhook != null) {
            webhook.close(0);
        }
        if (server != null) {
            server.stop(0);
        }
        handlers.shutdownNow();
    }

    /** @param status the status to answer the n-th request (1-based) with */
    private URI receiver(IntUnaryOperator status, CountDownLatch gate) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(handlers);
        server.createContext("/hook", exchange -> {
            int n = requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Content-Type"), new String(body,
                    "UTF-8")));
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.applyAsInt(n), -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private static CountDownLatch open() {
        return new CountDownLatch(0);
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no webhook request within 5 s");
        }
        return r;
    }

    @Test
    void theRelayPostsCallEventsAsJson() throws Exception {
        URI url = receiver(n -> 204, open());
        relay = TestRelays.start("relay.events.webhook-url = \"" + url + "\"", new MemorySinkFactory());
        try (WsClient peer = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            peer.sendText("{\"event\":\"connected\",\"callId\":\"wh-1\",\"mobileNo\":\"9000000002\"}");
            assertThat(peer.nextText(5000)).contains("wh-1");
            Received r = next();
            assertThat(r.contentType()).isEqualTo("application/json");
            JsonNode event = JSON.readTree(r.body());
            assertThat(event.path("type").asText()).isEqualTo("call.started");
            assertThat(event.path("callId").asText()).isEqualTo("wh-1");
            assertThat(event.path("ts").isIntegralNumber()).isTrue();
            assertThat(event.path("mobileNo").asText()).isEqualTo("9000000002");
        }
        JsonNode ended = JSON.readTree(next().body());
        assertThat(ended.path("type").asText()).isEqualTo("call.ended");
        assertThat(ended.path("callId").asText()).isEqualTo("wh-1");
    }

    @Test
    void a500IsRetriedAndThe200Counts() throws Exception {
        URI url = receiver(n -> n == 1 ? 500 : 200, open());
        EventBus bus = new EventBus();
        webhook = new EventWebhook(bus, url, 100, 20);
        bus.publish(CallEvent.of("test.retry", "c-1", Map.of("k", "v")));
        Received first = next();
        Received second = next();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(JSON.readTree(second.body()).path("k").asText()).isEqualTo("v");
        Await.until("one webhook delivery", () -> webhook.delivered() == 1);
        assertThat(webhook.failed()).isZero();
        assertThat(requests.get()).isEqualTo(2);
    }

    @Test
    void itGivesUpAfterThreeAttemptsOnPersistentFailure() throws Exception {
        URI url = receiver(n -> 503, open());
        EventBus bus = new EventBus();
        webhook = new EventWebhook(bus, url, 100, 10);
        bus.publish(CallEvent.of("test.down", "c-2", Map.of()));
        Await.until("one failed webhook delivery", () -> webhook.failed() == 1);
        Await.during("no attempt past the last", Duration.ofMillis(100),
                () -> requests.get() == EventWebhook.ATTEMPTS);
        assertThat(webhook.delivered()).isZero();
    }

    @Test
    void aClientErrorIsFinal() throws Exception {
        URI url = receiver(n -> 400, open());
        EventBus bus = new EventBus();
        webhook = new EventWebhook(bus, url, 100, 10);
        bus.publish(CallEvent.of("test.bad", "c-3", Map.of()));
        Await.until("one failed webhook delivery", () -> webhook.failed() == 1);
        Await.during("no retry after a 400", Duration.ofMillis(100), () -> requests.get() == 1);
    }

    @Test
    void anUnreachableReceiverIsRetriedThenCountedFailed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EventBus bus = new EventBus();
        webhook = new EventWebhook(bus, URI.create("http://127.0.0.1:" + port + "/hook"), 100, 10);
        bus.publish(CallEvent.of("test.refused", "c-4", Map.of()));
        Await.until("one failed webhook delivery", () -> webhook.failed() == 1);
    }

    @Test
    void aFullQueueDropsTheOldestAndCountsThem() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        URI url = receiver(n -> 200, gate);
        EventBus bus = new EventBus();
        webhook = new EventWebhook(bus, url, 4, 10);
        int inFlight = EventWebhook.MAX_IN_FLIGHT;
        for (int i = 0; i < inFlight; i++) {
            bus.publish(CallEvent.of("test.q", "c", Map.of("seq", i)));
        }
        Await.until("every request in flight at the receiver", () -> requests.get() == inFlight);
        for (int i = inFlight; i < inFlight + 10; i++) {
            bus.publish(CallEvent.of("test.q", "c", Map.of("seq", i)));
        }
        assertThat(webhook.dropped()).isEqualTo(6);
        assertThat(webhook.queued()).isEqualTo(4);
        gate.countDown();
        Await.until("all deliveries", () -> webhook.delivered() == inFlight + 4);
        List<Integer> seqs = new ArrayList<>();
        for (Received r : new CopyOnWriteArrayList<>(received)) {
            seqs.add(JSON.readTree(r.body()).path("seq").asInt());
        }
        assertThat(seqs).containsExactlyInAnyOrder(0, 1, 2, 3, 10, 11, 12, 13);
    }

    @Test
    void aUrlThatIsNotHttpIsAConfigErrorNamingTheKey() {
        EventBus bus = new EventBus();
        for (String bad : List.of("ftp://example.com/x", "not a url", "/relative")) {
            assertThatThrownBy(() -> new EventWebhook(bus, new EventsConfig(bad, 10, 10)))
                    .isInstanceOf(ConfigError.class)
                    .hasMessageStartingWith("relay.events.webhook-url:");
        }
    }
}
