package dev.relay.core.node;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.testing.TestData;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.NodeProcess;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §8.1 through the admin API, against a relay in this JVM and real WebSocket peers. */
@Timeout(90)
class DrainApiTest extends RelayTestBase {
    private static final String TOKEN = "t0ken";
    private ControlHttp http;

    private void startWith(String overrides) throws Exception {
        start("relay.control.token = \"" + TOKEN + "\"\n" + overrides);
        http = new ControlHttp(TestRelays.controlUrl(relay, ""), TOKEN);
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.post(path, "application/json", new byte[0]);
    }

    private HttpResponse<String> readyz() throws Exception {
        return new ControlHttp(TestRelays.controlUrl(relay, ""), null).get("/readyz");
    }

    /** What the npm ws client sees when it tries to upgrade. */
    private JsonNode npmUpgrade(String callId) throws Exception {
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", callId, "--close-after-ms", "100");
        return out.stream().filter(l -> l.path("type").asText().matches("http|close")).findFirst()
                .orElseThrow(() -> new AssertionError("neither refused nor closed: " + out));
    }

    @Test
    void drainTurnsReadyz503AtOnceRefusesOutboundCallsAndUndrainRestoresReady() throws Exception {
        startWith("relay.drain.accept-grace = 1h");
        assertThat(readyz().statusCode()).isEqualTo(200);
        assertThat(json(readyz()).path("state").asText()).isEqualTo("ready");

        HttpResponse<String> drained = post("/v1/admin/drain");
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(json(drained).path("state").asText()).isEqualTo("draining");
        assertThat(json(drained).path("drain").path("by").asText()).isEqualTo("api");
        HttpResponse<String> r = readyz();
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(json(r).path("state").asText()).isEqualTo("draining");
        assertThat(errorCode(r)).isEqualTo("draining");

        long since = json(drained).path("drain").path("since").asLong();
        assertThat(json(post("/v1/admin/drain")).path("drain").path("since").asLong()).as("idempotent")
                .isEqualTo(since);

        HttpResponse<String> outbound = http.post("/v1/calls", "application/json",
                "{\"mobile_number\":\"9876543210\",\"did\":\"8012345678\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(outbound.statusCode()).isEqualTo(503);
        assertThat(errorCode(outbound)).isEqualTo("draining");

        HttpResponse<String> undrained = post("/v1/admin/undrain");
        assertThat(undrained.statusCode()).isEqualTo(200);
        assertThat(json(undrained).path("state").asText()).isEqualTo("ready");
        assertThat(json(undrained).has("drain")).isFalse();
        assertThat(readyz().statusCode()).isEqualTo(200);
        assertThat(post("/v1/admin/undrain").statusCode()).as("undrain when ready").isEqualTo(200);
        assertThat(errorCode(http.post("/v1/calls", "application/json", "{}".getBytes(StandardCharsets.UTF_8))))
                .as("outbound calls reach the route again").isEqualTo("invalid_mobile_number");
    }

    @Test
    void statusReportsTheNode() throws Exception {
        startWith("relay.admission.max-calls = 7");
        try (WsClient call = register("status-1")) {
            assertThat(call.isOpen()).isTrue();
            JsonNode s = json(http.get("/v1/admin/status"));
            assertThat(s.path("node").asText()).endsWith("-" + relay.telephonyAddress().getPort());
            assertThat(s.path("state").asText()).isEqualTo("ready");
            assertThat(s.path("calls").asInt()).isEqualTo(1);
            assertThat(s.path("maxCalls").asInt()).isEqualTo(7);
            assertThat(s.path("transport").asText()).isIn("epoll", "nio", "io_uring");
            assertThat(s.path("version").asText()).isEqualTo("dev");
        }
    }

    @Test
    void adminRoutesNeedTheControlToken() throws Exception {
        startWith("");
        ControlHttp anonymous = new ControlHttp(TestRelays.controlUrl(relay, ""), null);
        assertThat(anonymous.post("/v1/admin/drain", null, new byte[0]).statusCode()).isEqualTo(401);
        assertThat(anonymous.post("/v1/admin/undrain", null, new byte[0]).statusCode()).isEqualTo(401);
        assertThat(anonymous.get("/v1/admin/status").statusCode()).isEqualTo(401);
        assertThat(readyz().statusCode()).as("no drain happened").isEqualTo(200);
    }

    @Test
    void upgradesInsideTheAcceptGraceAreAccepted() throws Exception {
        startWith("relay.drain.accept-grace = 1h");
        post("/v1/admin/drain");
        try (WsClient call = register("in-grace")) {
            assertThat(call.isOpen()).isTrue();
            assertThat(relay.calls().isLive("in-grace")).isTrue();
        }
        assertThat(npmUpgrade("in-grace-npm").path("type").asText()).isEqualTo("close");
    }

    @Test
    void upgradesAfterTheAcceptGraceGet503WithRetryAfterBeforeTheWebSocket() throws Exception {
        startWith("relay.drain.accept-grace = 0s");
        post("/v1/admin/drain");
        JsonNode refused = npmUpgrade("late");
        assertThat(refused.path("type").asText()).isEqualTo("http");
        assertThat(refused.path("status").asInt()).isEqualTo(503);
        assertThat(refused.path("retryAfter").asText()).isEqualTo("1");
        assertThat(WsClient.upgradeStatus(TestRelays.wsUrl(relay, "/media"))).isEqualTo(503);
        assertThat(relay.calls().total()).isZero();
        PromText metrics = PromText.parse(http.get("/metrics").body());
        assertThat(metrics.value("relay_admission_rejected_total", "reason", "draining")).isEqualTo(2.0);
        assertThat(metrics.value("relay_node_state", "state", "draining")).isEqualTo(1.0);
    }

    @Test
    void aLiveCallStreamsThroughADrainWithoutLosingAFrame() throws Exception {
        startWith("relay.drain.accept-grace = 0s");
        try (NodeProcess caller = NodeProcess.start("alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", "through", "--rtp", TestData.path(Speech.RTP_FILE).toString(), "--pace-ms", "5",
                "--close-after-ms", "200", "--hold-ms", "60000")) {
            MemorySink sink = memory.await("through", 10_000);
            Await.until("the first frame at the sink", () -> sink.framesIn() > 0);
            assertThat(post("/v1/admin/drain").statusCode()).isEqualTo(200);
            assertThat(caller.await("sent", 30_000).path("packets").asInt()).isEqualTo(426);
            assertThat(caller.await("close", 10_000).path("code").asInt()).isEqualTo(1000);
            sink.awaitClose(5000);
            assertThat(sink.timelineError()).isNull();
            assertThat(sink.concealedFrames()).isZero();
            assertThat(sink.samples().length).isEqualTo(426 * 320);
        }
        assertThat(relay.draining()).isTrue();
    }

    @Test
    void atTheDrainTimeoutLiveCallsAreClosed1001WithACallEvictedEventEach() throws Exception {
        startWith("relay.drain { accept-grace = 0s, timeout = 300ms }");
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        try (WsClient a = register("evict-a"); WsClient b = register("evict-b")) {
            post("/v1/admin/drain");
            assertThat(a.awaitCloseCode(10_000)).isEqualTo(1001);
            assertThat(b.awaitCloseCode(10_000)).isEqualTo(1001);
        }
        Await.until("both calls ended", () -> events.stream().filter(e -> e.type().equals("call.ended")).count() == 2);
        List<CallEvent> evicted = events.stream().filter(e -> e.type().equals("call.evicted")).toList();
        assertThat(evicted).extracting(CallEvent::callId).containsExactlyInAnyOrder("evict-a", "evict-b");
        assertThat(evicted).allSatisfy(e -> {
            assertThat(e.data()).containsEntry("reason", "drain timeout");
            assertThat(e.tsMillis()).isPositive();
        });
        assertThat(relay.draining()).as("an API drain stays until undrained").isTrue();
        assertThat(PromText.parse(http.get("/metrics").body()).value("relay_drain_evicted_total")).isEqualTo(2.0);
    }

    @Test
    void callersStillStreamingAtTheDrainTimeoutSee1001NotAReset() throws Exception {
        int count = 3;
        startWith("relay.drain { accept-grace = 0s, timeout = 200ms }");
        List<NodeProcess> callers = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                callers.add(NodeProcess.start("alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                        "--call-id", "stream-" + i, "--rtp", TestData.path(Speech.RTP_FILE).toString(),
                        "--pace-ms", "5", "--close-after-ms", "5000", "--hold-ms", "60000"));
            }
            for (int i = 0; i < count; i++) {
                MemorySink sink = memory.await("stream-" + i, 10_000);
                Await.until("the first frame at the sink", () -> sink.framesIn() > 0);
            }
            post("/v1/admin/drain");
            for (NodeProcess caller : callers) {
                assertThat(caller.await("close", 10_000).path("code").asInt()).isEqualTo(1001);
            }
        } finally {
            callers.forEach(NodeProcess::close);
        }
    }

    @Test
    void aSigtermDrainCannotBeUndrainedAndASecondSigtermStopsNow() throws Exception {
        startWith("relay.drain.accept-grace = 1h");
        AtomicInteger exits = new AtomicInteger();
        try (WsClient call = register("sig")) {
            post("/v1/admin/drain");
            relay.node().drains().terminate(exits::incrementAndGet);
            HttpResponse<String> undrain = post("/v1/admin/undrain");
            assertThat(undrain.statusCode()).isEqualTo(409);
            assertThat(errorCode(undrain)).isEqualTo("drain_not_undoable");
            assertThat(json(http.get("/v1/admin/status")).path("drain").path("exitWhenDrained").asBoolean()).isTrue();
            assertThat(exits.get()).as("the call is live and the grace not over").isZero();
            relay.node().drains().terminate(exits::incrementAndGet);
            Await.until("the drain's exit", () -> exits.get() == 1);
            assertThat(call.isOpen()).as("the exit action, not the drain, closes calls").isTrue();
        }
    }
}
