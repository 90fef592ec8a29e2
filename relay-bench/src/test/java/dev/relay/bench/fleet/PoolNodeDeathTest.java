package dev.relay.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.testing.ControlHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay of the pool killed with SIGKILL (SPEC §8.3): its callers see their sockets drop, one
 * survivor reports {@code call.lost} once per call it held (seen on every survivor's cluster-wide
 * stream), control requests for those calls get 503 (owner unreachable) or 404 (reaped), and the
 * other calls go on.
 */
@Timeout(180)
class PoolNodeDeathTest {

    @Test
    void aKilledNodesCallersDropAndEachOfItsCallsIsReportedLostOnce(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, Pool.SHORT_HEARTBEAT)) {
            RelayNode victim = pool.nodes.get(0);
            List<RelayNode> survivors = pool.nodes.subList(1, 3);
            List<EventLog> streams = new ArrayList<>();
            for (RelayNode s : survivors) {
                streams.add(new EventLog(pool.clusterEvents(s)));
            }
            List<PacedCall> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                PacedCall c = pool.call("doomed-" + i, 3000);
                assertThat(c.awaitUpgrade(10_000)).isEqualTo(101);
                c.acked.get(10, TimeUnit.SECONDS);
                calls.add(c);
            }
            RelayNode observer = survivors.get(0);
            Waits.until("every call registered", 15_000, () -> pool.clusterCalls(observer).size() == calls.size(),
                    () -> pool.listing(observer));
            List<PacedCall> held = pool.heldBy(observer, victim, calls);
            assertThat(held).isNotEmpty();
            List<String> lostIds = held.stream().map(c -> c.callId).sorted().toList();

            victim.signal("KILL");
            assertThat(victim.awaitExit(10_000)).isEqualTo(137);
            for (PacedCall c : held) {
                assertThat(c.awaitClose(10_000)).as(c.callId + ": the socket drops, no close frame").isEqualTo(-1);
            }
            ControlHttp http = pool.http(observer);
            for (PacedCall c : held) {
                int status = http.get("/v1/calls/" + c.callId).statusCode();
                assertThat(status).as(c.callId).isIn(503, 404);
            }

            for (EventLog stream : streams) {
                Waits.until("call.lost for each of the dead node's calls", 30_000,
                        () -> lostIds(stream).containsAll(lostIds), () -> "saw " + seen(stream));
            }
            // The dead node is reaped and removed; then every survivor beats twice more, so a second
            // report, had there been one, would have arrived by now.
            Waits.until("the dead node removed", 30_000, () -> !nodeIds(pool, observer).contains(victim.id));
            Map<String, Long> beats = lastBeats(pool, observer);
            Waits.until("two more beats of every survivor", 30_000, () -> {
                Map<String, Long> now = lastBeats(pool, observer);
                return survivors.stream().allMatch(s -> now.get(s.id) >= beats.get(s.id) + 2 * Pool.SHORT_HEARTBEAT_MS);
            });
            for (EventLog stream : streams) {
                List<JsonNode> lost = stream.of("call.lost");
                assertThat(lost.stream().map(e -> e.path("callId").asText()).sorted().toList())
                        .as("once per call").isEqualTo(lostIds);
                for (JsonNode e : lost) {
                    assertThat(e.path("owner").asText()).isEqualTo(victim.id);
                    assertThat(e.path("node").asText()).isIn(survivors.get(0).id, survivors.get(1).id);
                }
            }
            for (PacedCall c : held) {
                assertThat(http.get("/v1/calls/" + c.callId).statusCode()).as("after the reap").isEqualTo(404);
            }

            for (PacedCall c : calls) {
                if (!held.contains(c)) {
                    assertThat(c.closed).as(c.callId + " on a survivor").isNotDone();
                    c.hangUp();
                    assertThat(c.awaitClose(10_000)).isEqualTo(1000);
                }
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }

    private static List<String> lostIds(EventLog stream) throws Exception {
        return stream.of("call.lost").stream().map(e -> e.path("callId").asText()).sorted().toList();
    }

    private static String seen(EventLog stream) {
        try {
            return String.valueOf(lostIds(stream));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static List<String> nodeIds(Pool pool, RelayNode via) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode n : ControlHttp.json(pool.http(via).get("/v1/nodes")).path("nodes")) {
            ids.add(n.path("id").asText());
        }
        return ids;
    }

    private static Map<String, Long> lastBeats(Pool pool, RelayNode via) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        ControlHttp.json(pool.http(via).get("/v1/nodes")).path("nodes").forEach(nodes::add);
        return nodes.stream().collect(Collectors.toMap(n -> n.path("id").asText(),
                n -> n.path("lastHeartbeat").asLong()));
    }
}
