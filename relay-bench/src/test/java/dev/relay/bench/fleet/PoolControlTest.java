package dev.relay.bench.fleet;

import static dev.relay.core.testing.ControlHttp.errorCode;
import static dev.relay.core.testing.ControlHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.testing.ControlHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool of three relays behind HAProxy (SPEC §8.3): calls offered through HAProxy spread over
 * the nodes, every node lists all of them, and play, interrupt, keywords and hang-up sent to a node
 * that does not hold a call take effect on it; an unknown call is 404.
 */
@Timeout(180)
class PoolControlTest {
    private static final int CALLS = 6;
    /** Long enough (8 s) for the control requests to reach the calls while they are live. */
    private static final int FRAMES = 400;

    /**
     * {@code GET /v1/calls/{id}} against the owner and against another node, one at a time, as a
     * figure ({@code -Dfleet.forward.requests}, default 300 each; the closing note used 3000), on a
     * call of its own that outlives the measurement.
     */
    private static void measureForwarding(Pool pool) throws Exception {
        int n = Integer.getInteger("fleet.forward.requests", 300);
        PacedCall call = pool.call("measured", 50 * 600);
        assertThat(call.awaitUpgrade(10_000)).isEqualTo(101);
        call.acked.get(10, TimeUnit.SECONDS);
        RelayNode first = pool.nodes.get(0);
        Waits.until("the measured call registered", 10_000,
                () -> pool.clusterCalls(first).containsKey(call.callId));
        RelayNode owner = pool.node(pool.ownerOf(first, call.callId));
        RelayNode other = pool.nodes.get(owner == first ? 1 : 0);
        for (RelayNode via : List.of(owner, other)) {
            ControlHttp http = pool.http(via);
            Histogram h = new Histogram(3);
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                assertThat(http.get("/v1/calls/" + call.callId).statusCode()).isEqualTo(200);
                h.recordValue(System.nanoTime() - start);
            }
            Figures.record(Figures.percentiles("GET /v1/calls/{id} via " + (via == owner ? "the owner" : "another node")
                    + " (client round trip)", h));
        }
        call.hangUp();
        assertThat(call.awaitClose(10_000)).isEqualTo(1000);
    }

    @Test
    void callsSpreadOverTheNodesAndAnyNodeServesAnyCall(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, "")) {
            List<PacedCall> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                PacedCall c = pool.call("spread-" + i, FRAMES);
                assertThat(c.awaitUpgrade(10_000)).isEqualTo(101);
                c.acked.get(10, TimeUnit.SECONDS);
                calls.add(c);
            }
            for (RelayNode via : pool.nodes) {
                Waits.until(via.id + " lists every call", 10_000, () -> pool.clusterCalls(via).size() == CALLS,
                        () -> pool.listing(via));
            }
            Map<String, String> owners = pool.clusterCalls(pool.nodes.get(0));
            assertThat(new HashSet<>(owners.values())).as("calls on every node: " + owners)
                    .containsExactlyInAnyOrder("node-1", "node-2", "node-3");
            for (RelayNode via : pool.nodes) {
                assertThat(pool.clusterCalls(via)).isEqualTo(owners);
            }

            PacedCall target = calls.get(0);
            String owner = owners.get(target.callId);
            RelayNode other = pool.nodes.stream().filter(n -> !n.id.equals(owner)).findFirst().orElseThrow();
            ControlHttp viaOther = pool.http(other);
            String path = "/v1/calls/" + target.callId;

            HttpResponse<String> got = viaOther.get(path);
            assertThat(got.statusCode()).as(got.body()).isEqualTo(200);
            assertThat(json(got).path("callId").asText()).isEqualTo(target.callId);

            assertThat(viaOther.post(path + "/interrupt", null, new byte[0]).statusCode()).isEqualTo(202);
            assertThat(target.texts.poll(10, TimeUnit.SECONDS)).contains("\"event\":\"interrupt\"");

            HttpResponse<String> play = viaOther.post(path + "/audio", "audio/pcmu", new byte[1600]);
            assertThat(play.statusCode()).as(play.body()).isEqualTo(202);
            assertThat(target.texts.poll(10, TimeUnit.SECONDS)).contains("\"event\":\"media\"");

            HttpResponse<String> keywords = viaOther.post(path + "/keywords", "application/json",
                    "{\"keywords\":{\"relay\":\"Relay\"}}".getBytes(StandardCharsets.UTF_8));
            assertThat(keywords.statusCode()).as(keywords.body()).isEqualTo(202);

            HttpResponse<String> unknown = viaOther.get("/v1/calls/no-such-call");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(errorCode(unknown)).isEqualTo("call_not_found");

            assertThat(viaOther.delete(path).statusCode()).isEqualTo(200);
            assertThat(target.awaitClose(10_000)).as("hung up through another node").isEqualTo(1000);
            measureForwarding(pool);

            for (PacedCall c : calls.subList(1, CALLS)) {
                assertThat(c.awaitClose(30_000)).as(c.callId).isEqualTo(1000);
            }
            for (PacedCall c : calls.subList(1, CALLS)) {
                Waits.until(c.callId + " all audio at the sink", 10_000,
                        () -> pool.watch.samples(c.callId) == (long) c.sent() * PacedCall.SAMPLES_16K_PER_FRAME,
                        () -> pool.watch.samples(c.callId) + " samples for " + c.sent() + " frames");
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }
}
