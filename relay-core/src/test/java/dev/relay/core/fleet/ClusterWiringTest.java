package dev.relay.core.fleet;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.RelayServer;
import dev.relay.core.cluster.PendingCall;
import dev.relay.core.control.forward.ControlForwarder;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.RedisServer;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster wired into call handling and the control API (SPEC §8.3), with two relays in this
 * JVM sharing a real {@code redis-server}: forwarding of every per-call route, the cluster-wide
 * duplicate check, the cluster scopes, outbound calls claimed on another node, media held while a
 * claim is in flight, and Redis going away and coming back empty. The pool behind HAProxy, with
 * relays as processes, is {@code relay-bench}'s fleet suite.
 */
@Timeout(90)
class ClusterWiringTest {
    private static final String TOKEN = "fleet-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RedisServer redis;

    private final MemorySinkFactory memA = new MemorySinkFactory();
    private final MemorySinkFactory memB = new MemorySinkFactory();
    private final List<AutoCloseable> open = new ArrayList<>();
    private RelayServer a;
    private RelayServer b;

    @BeforeAll
    static void redis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        for (RelayServer r : new RelayServer[] {a, b}) {
            if (r != null) {
                r.close();
            }
        }
        redis.command("FLUSHALL");
    }

    private void startPair() throws Exception {
        startPair("");
    }

    private void startPair(String overrides) throws Exception {
        a = node("node-a", memA, overrides);
        b = node("node-b", memB, overrides);
        RelayTestBase.waitUntil(() -> a.node().cluster().up() && b.node().cluster().up());
    }

    private static JsonNode tree(String text) throws Exception {
        return JSON.readTree(text);
    }

    /**
     * A relay of the pair. The command timeout is above the default 300 ms: a loaded test machine
     * stalls longer than that, and a timed-out command takes the node off the cluster until its
     * next beat (dropping the events it publishes meanwhile).
     */
    private static RelayServer node(String id, MemorySinkFactory memory, String overrides) throws Exception {
        return TestRelays.start(overrides + """

                relay.control.token = "%s"
                relay.cluster { enabled = true, redis-url = "%s", node-id = "%s", heartbeat = 2s, command-timeout = 2s }
                relay.routes.alt = [memory]
                relay.admission.max-cpu = 0
                """.formatted(TOKEN, redis.url(), id), memory);
    }

    private static ControlHttp http(RelayServer relay) {
        return new ControlHttp(TestRelays.controlUrl(relay, ""), TOKEN);
    }

    private WsClient register(RelayServer relay, String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        open.add(ws);
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"9876543210\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private WsClient events(RelayServer relay, String query) throws Exception {
        WsClient ws = WsClient.connect("ws://127.0.0.1:" + relay.controlAddress().getPort() + "/v1/events?token="
                + TOKEN + query);
        open.add(ws);
        return ws;
    }

    @Test
    void everyPerCallRouteSentToTheOtherNodeTakesEffectOnTheCall() throws Exception {
        startPair();
        WsClient caller = register(a, "far-1");
        ControlHttp viaB = http(b);

        HttpResponse<String> got = viaB.get("/v1/calls/far-1");
        assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
        assertThat(json(got).path("callId").asText()).isEqualTo("far-1");
        assertThat(json(got).path("stats").isObject()).as("the owner's full view, relayed").isTrue();
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/json");

        assertThat(viaB.post("/v1/calls/far-1/interrupt", null, new byte[0]).statusCode()).isEqualTo(202);
        assertThat(caller.nextText(5000)).isEqualTo("{\"event\":\"interrupt\",\"callId\":\"far-1\"}");

        HttpResponse<String> played = viaB.post("/v1/calls/far-1/audio?interrupt=false", "audio/pcmu",
                new byte[800]);
        assertThat(played.statusCode()).as(played.body()).isEqualTo(202);
        assertThat(json(played).path("queuedMs").asLong()).isEqualTo(100);
        assertThat(caller.nextText(5000)).contains("\"event\":\"media\"");

        HttpResponse<String> keywords = viaB.post("/v1/calls/far-1/keywords", "application/json",
                "{\"keywords\":{\"relay\":\"Relay\"}}".getBytes());
        assertThat(keywords.statusCode()).as(keywords.body()).isEqualTo(202);
        HttpResponse<String> badKeywords = viaB.post("/v1/calls/far-1/keywords", "application/json",
                "[1]".getBytes());
        assertThat(badKeywords.statusCode()).as("the owner's 400, relayed unchanged").isEqualTo(400);
        assertThat(errorCode(badKeywords)).isEqualTo("invalid_keywords");

        assertThat(viaB.delete("/v1/calls/far-1").statusCode()).isEqualTo(200);
        assertThat(caller.awaitCloseCode(5000)).isEqualTo(1000);

        String metrics = viaB.get("/metrics").body();
        assertThat(metrics).contains("relay_control_forwarded_total{outcome=\"forwarded\"} 6.0");
    }

    @Test
    void unknownCallsAre404AndAForwardedRequestIsNeverForwardedAgain() throws Exception {
        startPair();
        register(a, "here-1");
        HttpResponse<String> unknown = http(b).get("/v1/calls/nobody");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(errorCode(unknown)).isEqualTo("call_not_found");

        HttpResponse<String> marked = http(b).send(http(b).builder("/v1/calls/here-1")
                .header(ControlForwarder.FORWARDED_HEADER, "node-x").GET());
        assertThat(marked.statusCode()).as("served from B's own registry only").isEqualTo(404);
        assertThat(http(b).get("/metrics").body()).contains("relay_control_forwarded_total{outcome=\"not_found\"} 1.0");
    }

    @Test
    void aCallIdLiveOnOneNodeIsRefused1008OnAnother() throws Exception {
        startPair();
        register(a, "dup-1");
        WsClient second = WsClient.connect(TestRelays.wsUrl(b, "/media"));
        open.add(second);
        second.sendText("{\"event\":\"connected\",\"callId\":\"dup-1\"}");
        assertThat(second.awaitCloseCode(5000)).isEqualTo(1008);
        assertThat(second.closeReason()).isEqualTo("callId already live on node-a");
        assertThat(memB.callIds()).as("no sink opened for the refused call").isEmpty();
    }

    @Test
    void resumeIsNodeLocalAnotherNodeStillRefuses1008AndTheOwnerResumes() throws Exception {
        startPair("relay.telephony.duplicate-call-id = resume");
        WsClient first = register(a, "back-1");
        WsClient elsewhere = WsClient.connect(TestRelays.wsUrl(b, "/media"));
        open.add(elsewhere);
        elsewhere.sendText("{\"event\":\"connected\",\"callId\":\"back-1\"}");
        assertThat(elsewhere.awaitCloseCode(5000)).isEqualTo(1008);
        assertThat(elsewhere.closeReason()).isEqualTo("callId already live on node-a");
        assertThat(first.isOpen()).isTrue();

        WsClient again = register(a, "back-1"); // the same node: the call is taken over
        assertThat(first.awaitCloseCode(5000)).isEqualTo(1008);
        assertThat(a.calls().resumedTotal()).isEqualTo(1);
        // The callId stays registered in the cluster under node-a for the resumed call.
        WsClient stillElsewhere = WsClient.connect(TestRelays.wsUrl(b, "/media"));
        open.add(stillElsewhere);
        stillElsewhere.sendText("{\"event\":\"connected\",\"callId\":\"back-1\"}");
        assertThat(stillElsewhere.awaitCloseCode(5000)).isEqualTo(1008);
        assertThat(stillElsewhere.closeReason()).isEqualTo("callId already live on node-a");
        assertThat(again.isOpen()).isTrue();
        assertThat(memB.callIds()).isEmpty();
    }

    @Test
    void mediaSentBeforeTheClusterAnswersIsHeldAndReachesTheSinks() throws Exception {
        startPair();
        List<byte[]> packets = Speech.packets().subList(0, 100);
        WsClient caller = WsClient.connect(TestRelays.wsUrl(a, "/media"));
        open.add(caller);
        // No wait for the acknowledgement: the frames follow `connected` while the claim is in flight.
        caller.sendText("{\"event\":\"connected\",\"callId\":\"eager-1\"}");
        for (byte[] p : packets) {
            caller.sendBinary(p);
        }
        assertThat(caller.nextText(5000)).contains("eager-1");
        MemorySinkFactory.MemorySink sink = memA.await("eager-1", 5000);
        caller.sendClose(1000);
        sink.awaitClose(5000);
        assertThat(sink.framesIn()).isEqualTo(packets.size());
        assertThat(sink.concealedFrames()).isZero();
        assertThat(sink.timelineError()).isNull();
    }

    @Test
    void clusterScopesListAndStreamEveryNode() throws Exception {
        startPair();
        WsClient stream = events(b, "&scope=cluster");
        register(a, "list-a");
        register(b, "list-b");
        JsonNode started = tree(stream.nextText(5000));
        JsonNode second = tree(stream.nextText(5000));
        assertThat(List.of(started.path("node").asText() + "/" + started.path("callId").asText(),
                second.path("node").asText() + "/" + second.path("callId").asText()))
                .containsExactlyInAnyOrder("node-a/list-a", "node-b/list-b");

        for (RelayServer relay : new RelayServer[] {a, b}) {
            JsonNode calls = json(http(relay).get("/v1/calls?scope=cluster")).path("calls");
            assertThat(calls).hasSize(2);
            for (JsonNode c : calls) {
                assertThat(c.path("node").asText()).isEqualTo(c.path("callId").asText().equals("list-a")
                        ? "node-a" : "node-b");
                assertThat(c.path("route").asText()).isEqualTo("default");
            }
            assertThat(json(http(relay).get("/v1/calls")).path("calls")).as("the local list").hasSize(1);
            JsonNode nodes = json(http(relay).get("/v1/nodes")).path("nodes");
            assertThat(nodes).hasSize(2);
            assertThat(nodes.get(0).path("id").asText()).isEqualTo("node-a");
            assertThat(nodes.get(0).path("state").asText()).isEqualTo("ready");
            assertThat(nodes.get(0).path("lastHeartbeat").asLong()).isPositive();
            assertThat(nodes.get(1).path("id").asText()).isEqualTo("node-b");
        }
        assertThat(http(a).get("/v1/calls?scope=galaxy").statusCode()).isEqualTo(400);
        assertThat(WsClient.upgradeStatus("ws://127.0.0.1:" + a.controlAddress().getPort() + "/v1/events?token="
                + TOKEN + "&scope=galaxy")).isEqualTo(400);
    }

    @Test
    void anOutboundCallStartedOnOneNodeIsPlacedOnItsRouteByTheNodeThatGetsItsSocket() throws Exception {
        startPair();
        a.node().cluster().putPending("out-1", new PendingCall("alt", null)).toCompletableFuture().get();
        register(b, "out-1");
        JsonNode call = json(http(a).get("/v1/calls/out-1"));
        assertThat(call.path("route").asText()).isEqualTo("alt");
    }

    @Test
    void withRedisAwayCallsAndLocalControlGoOnAndClusterRequestsAre503() throws Exception {
        startPair();
        register(a, "before-1");
        redis.kill();
        RelayTestBase.waitUntil(() -> !a.node().cluster().up() && !b.node().cluster().up());

        WsClient during = register(a, "during-1");
        assertThat(http(a).get("/v1/calls/during-1").statusCode()).as("local control").isEqualTo(200);
        HttpResponse<String> far = http(b).get("/v1/calls/during-1");
        assertThat(far.statusCode()).isEqualTo(503);
        assertThat(errorCode(far)).isEqualTo("owner_unreachable");
        HttpResponse<String> list = http(a).get("/v1/calls?scope=cluster");
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(errorCode(list)).isEqualTo("cluster_unavailable");
        assertThat(http(b).get("/v1/nodes").statusCode()).isEqualTo(503);
        assertThat(http(a).get("/readyz").statusCode()).isEqualTo(200);
        assertThat(http(a).get("/metrics").body()).contains("relay_cluster_up 0.0");

        redis.restart();
        RelayTestBase.waitUntil(() -> {
            try {
                HttpResponse<String> r = http(b).get("/v1/calls?scope=cluster");
                return r.statusCode() == 200 && json(r).path("calls").size() == 2;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(http(b).get("/v1/calls/during-1").statusCode()).as("forwarded again").isEqualTo(200);
        during.sendClose(1000);
        assertThat(during.awaitCloseCode(5000)).isEqualTo(1000);
        RelayTestBase.waitUntil(() -> {
            try {
                return json(http(b).get("/v1/calls?scope=cluster")).path("calls").size() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aSingleNodeAnswersTheClusterScopesWithItselfAlone() throws Exception {
        a = TestRelays.start("relay.control.token = \"" + TOKEN + "\"\nrelay.cluster.node-id = \"solo\"", memA);
        WsClient stream = events(a, "&scope=cluster");
        register(a, "solo-1");
        assertThat(tree(stream.nextText(5000)).path("node").asText()).isEqualTo("solo");
        JsonNode calls = json(http(a).get("/v1/calls?scope=cluster")).path("calls");
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).path("node").asText()).isEqualTo("solo");
        assertThat(calls.get(0).path("stats").isObject()).isTrue();
        JsonNode nodes = json(http(a).get("/v1/nodes")).path("nodes");
        assertThat(nodes).hasSize(1);
        assertThat(nodes.get(0).path("calls").asInt()).isEqualTo(1);
        assertThat(http(a).get("/metrics").body()).contains("relay_cluster_up 1.0");
    }
}
