package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.codec.testing.TestData;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every close the relay starts reaches a real npm {@code ws} client with its code (SPEC §4.1),
 * never as 1006: the relay sends its close frame and reads on until the peer's close frame, its
 * FIN or {@code relay.telephony.close-timeout}, so a peer still writing is not reset.
 */
@Timeout(120)
class NodeWsCloseCodesTest extends RelayTestBase {
    private static final int TWO_MIB = 2 * 1024 * 1024;

    private int closeCode(List<JsonNode> out) {
        return NodePeer.first(out, "close").path("code").asInt();
    }

    @ParameterizedTest(name = "{0} fragment(s)")
    @ValueSource(ints = {1, 8})
    void aPeerMidwayThroughA2MiBMessageSees1009(int fragments) throws Exception {
        start(""); // max-message-bytes = 1 MiB
        long before = TelephonyCounters.rejected("message_too_big");
        String callId = "big" + fragments;
        List<JsonNode> out = NodePeer.run(60_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", callId, "--big-bytes", String.valueOf(TWO_MIB), "--big-fragments",
                String.valueOf(fragments));
        assertThat(closeCode(out)).as(out.toString()).isEqualTo(1009);
        assertThat(TelephonyCounters.rejected("message_too_big")).isGreaterThan(before);
        memory.await(callId, 5000).awaitClose(5000);
    }

    @Test
    void aPeerFloodingInvalidJsonSees1002() throws Exception {
        start("");
        List<JsonNode> out = NodePeer.run(60_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", "flood", "--flood-invalid", "20000");
        assertThat(closeCode(out)).as(out.toString()).isEqualTo(1002);
        memory.await("flood", 5000).awaitClose(5000);
    }

    @Test
    void aPeerWithoutTheTokenSees1008() throws Exception {
        start("relay.telephony.auth.tokens = [\"abc\"]");
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", "noauth", "--rtp", TestData.path(Speech.RTP_FILE).toString());
        assertThat(closeCode(out)).as(out.toString()).isEqualTo(1008);
    }

    @Test
    void aPeerWhoseCallFailsInsideTheRelaySees1011() throws Exception {
        relay = TestRelays.start("relay.routes.default = [exploding]", memory,
                Map.of("exploding", new ExplodingSinkFactory()));
        List<JsonNode> out = NodePeer.run(20_000, "alohaa-client.js", "--url", TestRelays.wsUrl(relay, "/media"),
                "--call-id", "fails", "--rtp", TestData.path(Speech.RTP_FILE).toString());
        assertThat(closeCode(out)).as(out.toString()).isEqualTo(1011);
    }

    @Test
    void aPeerStreamingWhileTheRelayStopsSees1001() throws Exception {
        start("");
        CompletableFuture<List<JsonNode>> peer = NodePeer.start(60_000, "alohaa-client.js", List.of("--url",
                TestRelays.wsUrl(relay, "/media"), "--call-id", "stopping", "--rtp",
                TestData.path(Speech.RTP_FILE).toString(), "--pace-ms", "5"));
        memory.await("stopping", 20_000);
        Await.until("the peer's media arrives", () -> relay.calls().isLive("stopping")
                && relay.calls().get("stopping").stats().packetsIn() > 10);
        relay.close();
        List<JsonNode> out = peer.get(60, TimeUnit.SECONDS);
        assertThat(closeCode(out)).as(out.toString()).isEqualTo(1001);
    }

    /** A sink that cannot be made: the call's placement fails inside the relay. */
    private static final class ExplodingSinkFactory implements SinkFactory {
        @Override
        public String name() {
            return "exploding";
        }

        @Override
        public Sink create(CallContext call) {
            throw new IllegalStateException("sink factory failed (test)");
        }
    }
}
