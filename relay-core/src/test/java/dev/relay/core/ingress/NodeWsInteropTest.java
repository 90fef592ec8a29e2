package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.testing.TestData;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interop with the real npm {@code ws} client (test-peers/alohaa-client.js): handshake,
 * registration, the three payload forms, reordering, and close codes as a Node peer sees them.
 */
@Timeout(90)
class NodeWsInteropTest extends RelayTestBase {

    @ParameterizedTest(name = "{0} payload, swap every {1}")
    @CsvSource({"buffer, 0", "base64, 0", "binary, 0", "buffer, 5"})
    void wsClientStreamsSpeechThatMatchesSoxReference(String form, int swapEvery) throws Exception {
        // Reordering, not timing, is under test: a CPU-starved machine must not turn a swapped pair
        // into a concealed gap (the default 60 ms wait).
        start("relay.media.jitter-max-wait = 2s");
        String callId = "node" + form + swapEvery;
        List<JsonNode> out = NodePeer.run(60_000, "alohaa-client.js",
                "--url", TestRelays.wsUrl(relay, "/media"), "--call-id", callId,
                "--rtp", TestData.path(Speech.RTP_FILE).toString(), "--form", form,
                "--swap-every", String.valueOf(swapEvery), "--close-after-ms", "500");
        JsonNode ack = NodePeer.first(out, "message");
        assertThat(ack.path("text").asText()).isEqualTo("{\"event\":\"connected\",\"data\":{\"callId\":\"" + callId
                + "\"}}");
        assertThat(NodePeer.first(out, "close").path("code").asInt()).isEqualTo(1000);
        MemorySink sink = memory.await(callId, 5000);
        sink.awaitClose(5000);
        assertThat(sink.timelineError()).isNull();
        assertThat(sink.samples().length).isEqualTo(426 * 320);
        assertThat(Speech.snrAgainstReference(sink.samples())).isGreaterThanOrEqualTo(36.0);
    }

    @Test
    void wsClientWithoutTokenSees1008() throws Exception {
        start("relay.telephony.auth.tokens = [\"abc\"]");
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js",
                "--url", TestRelays.wsUrl(relay, "/media"), "--call-id", "noauth");
        assertThat(NodePeer.first(out, "close").path("code").asInt()).isEqualTo(1008);
    }

    @Test
    void wsClientWithBearerTokenRegisters() throws Exception {
        start("relay.telephony.auth.tokens = [\"abc\"]");
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js",
                "--url", TestRelays.wsUrl(relay, "/media"), "--call-id", "bearer", "--token", "abc",
                "--close-after-ms", "200");
        assertThat(NodePeer.first(out, "message").path("text").asText()).contains("bearer");
        assertThat(NodePeer.first(out, "close").path("code").asInt()).isEqualTo(1000);
    }

    @Test
    void wsClientThatNeverRegistersSees1008() throws Exception {
        start("relay.telephony.registration-timeout = 300ms");
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js",
                "--url", TestRelays.wsUrl(relay, "/media"), "--call-id", "x", "--no-register");
        assertThat(NodePeer.first(out, "close").path("code").asInt()).isEqualTo(1008);
    }

    @Test
    void wsClientGetsHttp404OnUnknownPath() throws Exception {
        start("");
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js",
                "--url", TestRelays.wsUrl(relay, "/nope"), "--call-id", "x");
        assertThat(NodePeer.first(out, "http").path("status").asInt()).isEqualTo(404);
    }
}
