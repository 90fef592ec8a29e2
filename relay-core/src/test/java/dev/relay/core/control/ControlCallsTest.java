package dev.relay.core.control;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.RelayServer;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The live-call endpoints against a real relay with an Alohaa peer on the telephony port. */
@Timeout(60)
class ControlCallsTest {
    private static final String TOKEN = "t0ken";
    private final MemorySinkFactory memory = new MemorySinkFactory();
    private RelayServer relay;
    private ControlHttp http;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start() throws Exception {
        relay = TestRelays.start("relay.control.token = \"" + TOKEN + "\"", memory);
        http = new ControlHttp(TestRelays.controlUrl(relay, ""), TOKEN);
    }

    private WsClient register(String callId, String mobileNo) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"" + mobileNo + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    @Test
    void listsLiveCallsWithEveryStatAndPerSinkCounters() throws Exception {
        start();
        long before = System.currentTimeMillis();
        try (WsClient a = register("call-a", "9876543210"); WsClient b = register("call-b", "")) {
            List<byte[]> packets = Speech.packets().subList(0, 50);
            for (byte[] p : packets) {
                a.sendBinary(p);
            }
            MemorySinkFactory.MemorySink sink = memory.await("call-a", 2000);
            Await.until("50 frames at the sink", () -> sink.framesIn() >= 50);

            JsonNode list = json(http.get("/v1/calls"));
            assertThat(list.path("calls")).hasSize(2);
            List<String> ids = new ArrayList<>();
            list.path("calls").forEach(c -> ids.add(c.path("callId").asText()));
            assertThat(ids).containsExactlyInAnyOrder("call-a", "call-b");
            assertThat(b.isOpen()).isTrue();

            HttpResponse<String> one = http.get("/v1/calls/call-a");
            assertThat(one.statusCode()).isEqualTo(200);
            JsonNode call = json(one);
            assertThat(call.path("callId").asText()).isEqualTo("call-a");
            assertThat(call.path("route").asText()).isEqualTo("default");
            assertThat(call.path("mobileNo").asText()).isEqualTo("9876543210");
            assertThat(call.path("startedAt").asLong()).isBetween(before, System.currentTimeMillis());
            assertThat(call.path("durationMs").asLong()).isNotNegative();
            JsonNode stats = call.path("stats");
            List<String> statNames = new ArrayList<>();
            stats.fieldNames().forEachRemaining(statNames::add);
            assertThat(statNames).containsExactly("packetsIn", "packetsRejected", "payloadTypeDropped", "ringDropped",
                    "reordered", "duplicates", "late", "concealedFrames", "concealedSamples8k", "jitterResets",
                    "framesOut", "samplesOut16k", "dtmfEvents", "firstFrameLatencyNanos", "outboundMessages",
                    "outboundAudioBytes", "outboundDroppedMessages");
            assertThat(stats.path("packetsIn").asLong()).isEqualTo(50);
            assertThat(stats.path("framesOut").asLong()).isGreaterThanOrEqualTo(50);
            JsonNode mem = call.path("sinks").path("memory");
            assertThat(mem.path("framesIn").asLong()).isGreaterThanOrEqualTo(50);
            assertThat(mem.path("framesDropped").asLong()).isZero();
            assertThat(mem.has("bytesOut")).isTrue();
        }
    }

    @Test
    void theCallEndpointsNeedTheToken() throws Exception {
        start();
        ControlHttp anonymous = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
        assertThat(anonymous.get("/v1/calls").statusCode()).isEqualTo(401);
        assertThat(new ControlHttp(TestRelays.controlUrl(relay, ""),
                "wrong").get("/v1/calls").statusCode()).isEqualTo(401);
        assertThat(http.get("/v1/calls").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownCallIs404OnEveryCallEndpoint() throws Exception {
        start();
        List<HttpResponse<String>> responses = List.of(
                http.get("/v1/calls/ghost"),
                http.delete("/v1/calls/ghost"),
                http.post("/v1/calls/ghost/interrupt", null, new byte[0]),
                http.post("/v1/calls/ghost/keywords", "application/json",
                "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8)),
                http.post("/v1/calls/ghost/audio", "audio/pcmu", new byte[160]),
                http.post("/v1/calls/ghost/greeting", "audio/pcmu", new byte[160]));
        for (HttpResponse<String> r : responses) {
            assertThat(r.statusCode()).as(r.request().method() + " " + r.uri()).isEqualTo(404);
            assertThat(errorCode(r)).isEqualTo("call_not_found");
        }
    }

    @Test
    void deleteHangsUpWithNormalClosure() throws Exception {
        start();
        try (WsClient peer = register("bye", "")) {
            HttpResponse<String> r = http.delete("/v1/calls/bye");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).path("callId").asText()).isEqualTo("bye");
            assertThat(json(r).path("status").asText()).isEqualTo("hanging_up");
            assertThat(peer.awaitCloseCode(5000)).isEqualTo(1000);
            assertThat(peer.closeReason()).isEqualTo("hung up via control API");
            Await.until("call bye released", () -> !relay.calls().isLive("bye"));
            assertThat(http.get("/v1/calls/bye").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void interruptReachesThePeer() throws Exception {
        start();
        try (WsClient peer = register("int-1", "")) {
            HttpResponse<String> r = http.post("/v1/calls/int-1/interrupt", null, new byte[0]);
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(peer.nextText(5000)).isEqualTo("{\"event\":\"interrupt\",\"callId\":\"int-1\"}");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"keywords\":{\"aiola\":\"aiOla\",\"relay\":\"Relay\"}}",
            "{\"aiola\":\"aiOla\",\"relay\":\"Relay\"}"})
    void keywordsArePublishedAsAKeywordsSetEvent(String body) throws Exception {
        start();
        List<CallEvent> seen = new CopyOnWriteArrayList<>();
        AutoCloseable sub = relay.events().subscribe(e -> {
            if (e.type().equals("keywords.set")) {
                seen.add(e);
            }
        });
        try (WsClient peer = register("kw-1", "")) {
            assertThat(peer.isOpen()).isTrue();
            HttpResponse<String> r = http.post("/v1/calls/kw-1/keywords", "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(json(r).path("keywords").asInt()).isEqualTo(2);
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).callId()).isEqualTo("kw-1");
            assertThat(seen.get(0).data()).isEqualTo(Map.of("keywords", Map.of("aiola", "aiOla", "relay", "Relay")));
        } finally {
            sub.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "\"x\"", "{\"keywords\":[\"a\"]}", "{\"keywords\":{\"a\":1}}",
        "{\"a\":null}", "{\"\":\"x\"}", "{\"a\":\"x\",\"a\":\"y\"}", "{\"a\":{\"b\":\"c\"}}"})
    void invalidKeywordsAre400(String body) throws Exception {
        start();
        try (WsClient peer = register("kw-2", "")) {
            assertThat(peer.isOpen()).isTrue();
            HttpResponse<String> r = http.post("/v1/calls/kw-2/keywords", "application/json",
                    body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(errorCode(r)).isEqualTo("invalid_keywords");
        }
    }

    @Test
    void readyOnceListeningAndNotOnceClosing() throws Exception {
        start();
        ControlHttp anonymous = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
        HttpResponse<String> r = anonymous.get("/readyz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("status").asText()).isEqualTo("ready");
        assertThat(relay.ready()).isTrue();
        relay.close();
        assertThat(relay.ready()).isFalse();
        assertThat(relay.draining()).isTrue();
    }
}
