package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.NodePeer;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.TestRelays;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller whose network vanished (a real npm {@code ws} client whose socket stops reading, so
 * it answers no ping) is found by the relay's pings and its call ended with 1001 and reason
 * {@code peer_unresponsive}, while a caller that answers its pings but sends nothing keeps its call.
 */
@Timeout(60)
class HalfOpenCallerTest extends RelayTestBase {

    private static CompletableFuture<List<JsonNode>> peer(String url, String callId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--url", url, "--call-id", callId, "--hold-ms", "6000"));
        args.addAll(List.of(extra));
        return NodePeer.start(30_000, "alohaa-client.js", args);
    }

    @Test
    void aCallerThatAnswersNoPingIsEndedAndOneThatAnswersStays() throws Exception {
        start("relay.telephony.ping-interval = 200ms");
        BlockingQueue<CallEvent> ended = new LinkedBlockingQueue<>();
        relay.events().subscribe(e -> {
            if (e.type().equals("call.ended")) {
                ended.add(e);
            }
        });
        long before = TelephonyCounters.rejected(PingSweep.UNRESPONSIVE);
        CompletableFuture<List<JsonNode>> answering = peer(TestRelays.wsUrl(relay, "/media"), "answers");
        memory.await("answers", 20_000);
        CompletableFuture<List<JsonNode>> silent = peer(TestRelays.wsUrl(relay, "/media"), "vanished",
                "--stop-reading");
        memory.await("vanished", 20_000);

        CallEvent end = ended.poll(20, TimeUnit.SECONDS);
        assertThat(end).as("call.ended of the silent caller").isNotNull();
        assertThat(end.callId()).isEqualTo("vanished");
        assertThat(end.data()).containsEntry("reason", "peer_unresponsive");
        assertThat(TelephonyCounters.rejected(PingSweep.UNRESPONSIVE)).isEqualTo(before + 1);
        // At least three ping intervals have passed, all answered by the other caller.
        assertThat(relay.calls().isLive("answers")).isTrue();
        assertThat(NodePeer.first(silent.get(30, TimeUnit.SECONDS), "stopped-reading")).isNotNull();
        answering.get(30, TimeUnit.SECONDS);
    }
}
