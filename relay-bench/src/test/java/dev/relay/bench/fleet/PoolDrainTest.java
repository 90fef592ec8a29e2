package dev.relay.bench.fleet;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Draining one relay of the pool (SPEC §8.1, §8.4): HAProxy stops sending it calls (its agent says
 * drain, its /readyz 503), its live calls finish with no gap in their audio at the sink, and it exits
 * 0 once they have ended; an outbound call asked of it meanwhile is refused. With a short
 * {@code relay.drain.timeout} the calls still live then are closed with 1001 and a
 * {@code call.evicted} event each, which the other nodes' cluster-wide event streams show.
 */
@Timeout(240)
class PoolDrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Offers {@code n} calls one after the other, each once the previous one was acknowledged. */
    private static List<PacedCall> offer(Pool pool, String prefix, int n, int frames) throws Exception {
        List<PacedCall> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PacedCall c = pool.call(prefix + i, frames);
            assertThat(c.awaitUpgrade(10_000)).as(c.callId).isEqualTo(101);
            c.acked.get(10, TimeUnit.SECONDS);
            calls.add(c);
        }
        return calls;
    }

    /** Waits until HAProxy gives {@code node} no new calls: drained by its agent or down by /readyz. */
    private static void awaitOutOfRotation(Pool pool, RelayNode node) throws Exception {
        Waits.until("HAProxy stops sending calls to " + node.id, 30_000, () -> {
            Haproxy.Server s = pool.haproxy.primary(Pool.serverOf(node));
            return s.weight() == 0 || !s.status().startsWith("UP");
        }, () -> String.valueOf(pool.safeServers()));
    }

    @Test
    void aDrainedNodeGetsNoNewCallsFinishesItsOwnWithoutAGapAndExits0(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, "")) {
            // About 6 s each: they outlive the checks below and then end by themselves.
            List<PacedCall> calls = offer(pool, "live-", 6, 300);
            RelayNode drained = pool.nodes.get(1);
            RelayNode other = pool.nodes.get(0);
            List<PacedCall> held = pool.heldBy(other, drained, calls);
            assertThat(held).as("leastconn gave the drained node calls").isNotEmpty();

            long term = System.nanoTime();
            drained.signal("TERM");
            HttpResponse<String> outbound = pool.http(drained).post("/v1/calls", "application/json",
                    "{\"mobile_number\":\"9876543210\",\"did\":\"0123456789\"}".getBytes(StandardCharsets.UTF_8));
            assertThat(outbound.statusCode()).isEqualTo(503);
            assertThat(errorCode(outbound)).isEqualTo("draining");
            awaitOutOfRotation(pool, drained);

            Set<String> laterNodes = new HashSet<>();
            for (PacedCall c : offer(pool, "after-", 6, 150)) {
                laterNodes.add(pool.ownerOf(other, c.callId));
            }
            assertThat(laterNodes).as("calls offered after the drain").doesNotContain(drained.id).doesNotContainNull();

            for (PacedCall c : held) {
                assertThat(c.awaitClose(30_000)).as(c.callId + " ended by its caller").isEqualTo(1000);
                assertThat(c.sent()).isEqualTo(c.planned());
            }
            Waits.until("the drained node's calls whole at the sink", 10_000, () -> pool.wholeAtSink(held),
                    () -> pool.sinkReport(held));
            assertThat(drained.awaitExit(30_000)).as(drained.tail()).isZero();
            Figures.record(String.format("drain: %s exited 0 %.0f ms after SIGTERM with %d live calls ending by"
                    + " themselves", drained.id, (System.nanoTime() - term) / 1e6, held.size()));
            String log = drained.log();
            for (PacedCall c : held) {
                assertThat(log).contains("event call.ended callId=" + c.callId + " {reason=peer closed 1000");
                assertThat(log).containsPattern("call.ended callId=" + c.callId + " \\{[^}]*concealedFrames=0");
            }
            assertThat(log.indexOf("drain complete")).isGreaterThan(log.lastIndexOf("event call.ended"));
            for (PacedCall c : calls) {
                assertThat(c.awaitClose(30_000)).as(c.callId).isEqualTo(1000);
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }

    @Test
    void atAShortDrainTimeoutTheRestAreClosed1001WithCallEvicted(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, "relay.drain.timeout = 2s")) {
            RelayNode drained = pool.nodes.get(2);
            RelayNode watcher = pool.nodes.get(0);
            WsClient events = pool.clusterEvents(watcher);
            List<PacedCall> calls = offer(pool, "long-", 6, 3000);
            List<PacedCall> held = pool.heldBy(watcher, drained, calls);
            assertThat(held).isNotEmpty();

            drained.signal("TERM");
            for (PacedCall c : held) {
                assertThat(c.awaitClose(30_000)).as(c.callId).isEqualTo(1001);
                assertThat(c.closeReason()).isEqualTo("drain timeout");
            }
            Set<String> evicted = new HashSet<>();
            Waits.until("call.evicted for each of the drained node's calls", 15_000, () -> {
                String text = events.pendingTexts() > 0 ? events.nextText(100) : null;
                if (text != null) {
                    JsonNode e = JSON.readTree(text);
                    if (e.path("type").asText().equals("call.evicted")) {
                        assertThat(e.path("node").asText()).isEqualTo(drained.id);
                        assertThat(evicted.add(e.path("callId").asText())).as("once per call").isTrue();
                    }
                }
                return evicted.size() == held.size();
            }, () -> "saw " + evicted);
            assertThat(evicted).containsExactlyInAnyOrderElementsOf(held.stream().map(c -> c.callId).toList());
            assertThat(drained.awaitExit(30_000)).as(drained.tail()).isZero();
            for (PacedCall c : calls) {
                if (!held.contains(c)) {
                    assertThat(c.closed).as(c.callId + " on another node goes on").isNotDone();
                    c.hangUp();
                    assertThat(c.awaitClose(10_000)).isEqualTo(1000);
                }
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }
}
