package dev.relay.core.node;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SPEC §8.2: refusals with 503 before the WebSocket exists, /readyz full, the metric. */
@Timeout(90)
class AdmissionLimitsTest extends RelayTestBase {
    private volatile double cpu;

    private ControlHttp http() {
        return new ControlHttp(TestRelays.controlUrl(relay, ""), null);
    }

    /** The npm ws client's view of an upgrade the relay should refuse. */
    private JsonNode refusedUpgrade(String callId) throws Exception {
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", callId, "--close-after-ms", "100");
        return NodePeer.first(out, "http");
    }

    @Test
    void pastMaxCallsUpgradesGet503WithRetryAfterAndAnEndedCallFreesItsSlot() throws Exception {
        start("relay.admission.max-calls = 3");
        WsClient first = register("full-1");
        try (WsClient second = register("full-2"); WsClient third = register("full-3")) {
            for (String callId : List.of("full-4", "full-5")) {
                JsonNode refused = refusedUpgrade(callId);
                assertThat(refused.path("status").asInt()).isEqualTo(503);
                assertThat(refused.path("retryAfter").asText()).isEqualTo("1");
            }
            assertThat(relay.calls().active()).isEqualTo(3);
            assertThat(second.isOpen() && third.isOpen()).as("admitted calls are untouched").isTrue();
            PromText metrics = PromText.parse(http().get("/metrics").body());
            assertThat(metrics.value("relay_admission_rejected_total", "reason", "max_calls")).isEqualTo(2.0);
            assertThat(metrics.value("relay_admission_max_calls")).isEqualTo(3.0);
            assertThat(metrics.value("relay_admission_slots_used")).isEqualTo(3.0);
            assertThat(metrics.value("relay_node_state", "state", "full")).isEqualTo(1.0);
            HttpResponse<String> full = http().get("/readyz");
            assertThat(full.statusCode()).isEqualTo(503);
            assertThat(json(full).path("state").asText()).isEqualTo("full");
            assertThat(json(full).path("reason").asText()).isEqualTo("max_calls");
            assertThat(http().get("/healthz").statusCode()).isEqualTo(200);

            first.sendClose(1000);
            assertThat(first.awaitCloseCode(5000)).isEqualTo(1000);
            Await.until("two admission slots in use", () -> relay.node().admission().slotsInUse() == 2);
            assertThat(http().get("/readyz").statusCode()).isEqualTo(200);
            try (WsClient fourth = register("full-4")) {
                assertThat(fourth.isOpen()).isTrue();
                assertThat(relay.calls().isLive("full-4")).isTrue();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void anUpgradedSocketCountsBeforeItRegisters() throws Exception {
        start("relay.admission.max-calls = 1");
        try (WsClient unregistered = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            assertThat(unregistered.isOpen()).isTrue();
            assertThat(WsClient.upgradeStatus(TestRelays.wsUrl(relay, "/media"))).isEqualTo(503);
            unregistered.sendText("{\"event\":\"connected\",\"callId\":\"late-registration\"}");
            assertThat(unregistered.nextText(5000)).as("an accepted socket is never refused afterwards")
                    .contains("late-registration");
        }
    }

    @Test
    void whileCpuIsOverTheLimitUpgradesAreRefusedAndReadyzSaysFull() throws Exception {
        RelayConfig config = RelayConfig.from(TestRelays.config("relay.admission.max-cpu = 0.8"));
        relay = new RelayServer(config, Map.of("memory", memory), () -> cpu).start();
        cpu = 0.95;
        JsonNode refused = refusedUpgrade("hot");
        assertThat(refused.path("status").asInt()).isEqualTo(503);
        HttpResponse<String> full = http().get("/readyz");
        assertThat(json(full).path("state").asText()).isEqualTo("full");
        assertThat(json(full).path("reason").asText()).isEqualTo("cpu");
        assertThat(errorCode(full)).isEqualTo("full");
        PromText metrics = PromText.parse(http().get("/metrics").body());
        assertThat(metrics.value("relay_admission_rejected_total", "reason", "cpu")).isEqualTo(1.0);
        assertThat(metrics.value("relay_admission_cpu_load_ratio")).isEqualTo(0.95);
        assertThat(metrics.value("relay_admission_max_cpu_ratio")).isEqualTo(0.8);

        cpu = 0.5;
        assertThat(http().get("/readyz").statusCode()).isEqualTo(200);
        try (WsClient cool = register("cool")) {
            assertThat(cool.isOpen()).isTrue();
            assertThat(relay.calls().isLive("cool")).isTrue();
        }
    }

    @Test
    void drainingWinsOverFull() throws Exception {
        start("relay.admission.max-calls = 1");
        try (WsClient only = register("only")) {
            assertThat(json(http().get("/readyz")).path("state").asText()).isEqualTo("full");
            relay.node().drains().drain(Availability.Origin.API);
            assertThat(json(http().get("/readyz")).path("state").asText()).isEqualTo("draining");
            assertThat(only.isOpen()).as("a drain leaves live calls alone").isTrue();
        }
    }
}
