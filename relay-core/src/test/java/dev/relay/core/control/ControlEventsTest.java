package dev.relay.core.control;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.RelayServer;
import dev.relay.core.control.events.EventJson;
import dev.relay.core.event.CallEvent;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /v1/events}: the call event stream, its filter, auth, and what happens to slow readers. */
@Timeout(60)
class ControlEventsTest {
    private static final ObjectMapper JSON = Json.MAPPER;
    private final MemorySinkFactory memory = new MemorySinkFactory();
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private String eventsUrl(String query) {
        return "ws://127.0.0.1:" + relay.controlAddress().getPort() + "/v1/events" + query;
    }

    private WsClient subscribe(String query) throws Exception {
        int before = relay.eventSubscribers();
        WsClient ws = WsClient.connect(eventsUrl(query));
        // The subscription is added as the handshake completes: wait for it before publishing.
        Await.until("the events subscription", () -> relay.eventSubscribers() > before);
        return ws;
    }

    private WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"9000000001\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private static JsonNode next(WsClient ws) throws Exception {
        return JSON.readTree(ws.nextText(5000));
    }

    @Test
    void streamsCallStartedAndCallEndedWithStats() throws Exception {
        relay = TestRelays.start("", memory);
        long before = System.currentTimeMillis();
        try (WsClient events = subscribe("")) {
            WsClient peer = register("ev-1");
            JsonNode started = next(events);
            assertThat(started.path("type").asText()).isEqualTo("call.started");
            assertThat(started.path("callId").asText()).isEqualTo("ev-1");
            assertThat(started.path("ts").asLong()).isBetween(before, System.currentTimeMillis());
            assertThat(started.path("route").asText()).isEqualTo("default");
            assertThat(started.path("mobileNo").asText()).isEqualTo("9000000001");
            peer.sendClose(1000);
            peer.awaitCloseCode(5000);
            peer.close();
            JsonNode ended = next(events);
            assertThat(ended.path("type").asText()).isEqualTo("call.ended");
            assertThat(ended.path("callId").asText()).isEqualTo("ev-1");
            assertThat(ended.path("reason").asText()).isNotEmpty();
            assertThat(ended.has("durationMs")).isTrue();
            assertThat(ended.has("packetsIn")).isTrue();
            assertThat(ended.has("framesOut")).isTrue();
        }
    }

    @Test
    void callIdFilterPassesOnlyThatCallsEvents() throws Exception {
        relay = TestRelays.start("", memory);
        try (WsClient onlyB = subscribe("?callId=ev-b"); WsClient all = subscribe("")) {
            try (WsClient a = register("ev-a"); WsClient b = register("ev-b")) {
                assertThat(next(all).path("callId").asText()).isEqualTo("ev-a");
                assertThat(next(all).path("callId").asText()).isEqualTo("ev-b");
                JsonNode first = next(onlyB);
                assertThat(first.path("type").asText()).isEqualTo("call.started");
                assertThat(first.path("callId").asText()).isEqualTo("ev-b");
                assertThat(a.isOpen() && b.isOpen()).isTrue();
            }
            // Both calls end; only b's end reaches the filtered subscriber.
            for (int i = 0; i < 2; i++) {
                assertThat(next(all).path("type").asText()).isEqualTo("call.ended");
            }
            JsonNode ended = next(onlyB);
            assertThat(ended.path("type").asText()).isEqualTo("call.ended");
            assertThat(ended.path("callId").asText()).isEqualTo("ev-b");
            assertThat(onlyB.pendingTexts()).isZero();
        }
    }

    @Test
    void aSubscriberThatKeepsUpGetsEveryEventInOrder() throws Exception {
        relay = TestRelays.start("relay.events.subscriber-queue = 1000", memory);
        try (WsClient events = subscribe("")) {
            for (int i = 0; i < 900; i++) {
                relay.events().publish(CallEvent.of("test.seq", "seq", Map.of("seq", i)));
            }
            for (int i = 0; i < 900; i++) {
                assertThat(next(events).path("seq").asInt()).isEqualTo(i);
            }
            assertThat(relay.eventSubscribers()).isEqualTo(1);
        }
    }

    @Test
    void aSubscriberThatStopsReadingIsClosedTooSlowAndForgotten() throws Exception {
        relay = TestRelays.start("relay.events.subscriber-queue = 256", memory);
        WsClient slow = subscribe("");
        try {
            slow.pauseReading();
            String pad = "x".repeat(2000);
            // Published in small paced batches, so the subscriber's queue never overflows in a burst:
            // the socket buffers fill first, the channel turns unwritable, then the queue fills.
            int published = 0;
            while (relay.eventSubscribers() > 0 && published < 50_000) {
                for (int i = 0; i < 32; i++) {
                    relay.events().publish(CallEvent.of("test.flood", "flood", Map.of("seq", published++, "pad", pad)));
                }
                Thread.sleep(1); // pacing (stimulus), not a synchronisation
            }
            int sent = published;
            Await.until("the subscriber dropped (after " + sent + " events)", () -> relay.eventSubscribers() == 0);
            slow.resumeReading();
            assertThat(slow.awaitCloseCode(10_000)).isEqualTo(1008);
            assertThat(slow.closeReason()).isEqualTo("too slow");
            relay.events().publish(CallEvent.of("test.after", "flood", Map.of()));
            assertThat(relay.eventSubscribers()).isZero();
            // It got what the socket buffers held before the drop, in order and with no gap, and
            // nothing was kept for it after: no event published after the drop reaches it. (How many
            // it got depends on the kernel's socket buffers, so that count is not asserted.)
            int received = slow.pendingTexts();
            assertThat(received).isPositive().isLessThan(published);
            for (int seq = 0; seq < received; seq++) {
                JsonNode event = JSON.readTree(slow.nextText(1_000));
                assertThat(event.path("type").asText()).isEqualTo("test.flood");
                assertThat(event.path("seq").asInt(-1)).as("event %d", seq).isEqualTo(seq);
            }
        } finally {
            slow.close();
        }
    }

    @Test
    void plainGetWithoutUpgradeIs426() throws Exception {
        relay = TestRelays.start("", memory);
        HttpResponse<String> r = new ControlHttp(TestRelays.controlUrl(relay, ""), null).get("/v1/events");
        assertThat(r.statusCode()).isEqualTo(426);
        assertThat(errorCode(r)).isEqualTo("upgrade_required");
    }

    @Test
    void theStreamNeedsTheTokenWhichMayComeAsAQueryParameter() throws Exception {
        relay = TestRelays.start("relay.control.token = \"ev-token\"", memory);
        assertThat(WsClient.upgradeStatus(eventsUrl(""))).isEqualTo(401);
        assertThat(WsClient.upgradeStatus(eventsUrl("?token=wrong"))).isEqualTo(401);
        try (WsClient ws = subscribe("?token=ev-token")) {
            relay.events().publish(CallEvent.of("test.auth", "c", Map.of()));
            assertThat(next(ws).path("type").asText()).isEqualTo("test.auth");
        }
    }

    @Test
    void shutdownClosesSubscribersWithGoingAway() throws Exception {
        relay = TestRelays.start("", memory);
        try (WsClient ws = subscribe("")) {
            relay.close();
            assertThat(ws.awaitCloseCode(5000)).isEqualTo(1001);
        }
    }

    @Test
    void eventJsonPutsTheFixedFieldsFirstAndDataCannotShadowThem() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("digit", "5");
        data.put("type", "spoofed");
        data.put("ts", 0);
        String json = new String(EventJson.toJson(new CallEvent("dtmf", "c-9", 1234L, data)), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"type\":\"dtmf\",\"callId\":\"c-9\",\"ts\":1234,\"digit\":\"5\"}");
    }
}
