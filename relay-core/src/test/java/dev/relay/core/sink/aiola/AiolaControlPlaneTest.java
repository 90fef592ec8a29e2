package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.net.Json;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.ControlHttp;
import dev.relay.core.testing.PromText;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an operator sees of the aiOla sink through the control API (SPEC §6): its transcripts on
 * the {@code /v1/events} WebSocket with the call id, and its reconnects, queue and write latency
 * in {@code /metrics}.
 */
@Timeout(60)
class AiolaControlPlaneTest extends AiolaRelayHarness {
    private static final ObjectMapper JSON = Json.MAPPER;

    @Test
    void transcriptsReachTheEventsStreamAndTheSinkShowsInMetrics() throws Exception {
        try (AiolaServer server = AiolaServer.withToken(0)) {
            startRelay(server, "");
            int before = relay.eventSubscribers();
            WsClient stream = WsClient.connect(TestRelays.controlUrl(relay, "/v1/events?callId=cp1").replace("http",
                    "ws"));
            Await.until("events subscription", () -> relay.eventSubscribers() > before);

            WsClient call = register("cp1");
            server.await("connect", 10_000);
            sendPackets(call, 0, 100);
            server.await("audio", l -> l.path("connBytes").asInt() == 100 * FRAME_BYTES, 10_000);
            server.command("emit", "event", "transcript", "args", List.of(Map.of("transcript", "book a table")));
            JsonNode transcript = nextOfType(stream, "transcript");
            assertThat(transcript.path("callId").asText()).isEqualTo("cp1");
            assertThat(transcript.path("text").asText()).isEqualTo("book a table");
            assertThat(transcript.path("ts").asLong()).isPositive();

            server.command("disconnect");
            assertThat(nextOfType(stream, "sink.down").path("sink").asText()).isEqualTo("aiola");
            assertThat(nextOfType(stream, "sink.up").path("reconnects").asLong()).isEqualTo(1);
            sendPackets(call, 100, 150);
            awaitFrames("cp1", 150);

            PromText metrics = PromText.parse(new ControlHttp(TestRelays.controlUrl(relay, ""),
                    null).get("/metrics").body());
            assertThat(metrics.value("relay_sink_reconnects_total", "sink", "aiola")).isEqualTo(1);
            assertThat(metrics.value("relay_frames_total", "direction", "out", "sink", "aiola")).isEqualTo(150);
            assertThat(metrics.value("relay_sink_latency_seconds_count", "sink", "aiola")).isPositive();
            assertThat(metrics.value("relay_sink_queue_depth", "sink", "aiola")).isBetween(0.0, 150.0);
            hangUp(call);
            stream.close();
        }
    }

    private static JsonNode nextOfType(WsClient stream, String type) throws Exception {
        for (int i = 0; i < 50; i++) {
            JsonNode event = JSON.readTree(stream.nextText(10_000));
            if (type.equals(event.path("type").asText())) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event on /v1/events");
    }
}
