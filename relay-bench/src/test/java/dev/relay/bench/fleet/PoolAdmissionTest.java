package dev.relay.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admission across the pool (SPEC §8.2): with {@code relay.admission.max-calls = 10} on each of
 * three relays, 35 calls offered through HAProxy give 30 calls up and 5 refused with HTTP 503
 * before the upgrade, counted in {@code relay_admission_rejected_total{reason="max_calls"}}. HAProxy
 * weighs the relays by the free capacity their agents report and, once none has room, still hands
 * the connection to a live relay, whose 503 and Retry-After reach the caller.
 *
 * <p>Calls are offered one at a time, each once HAProxy's view has caught up with the last one
 * (every relay's weight is what its agent says now, and HAProxy holds exactly the calls that are
 * up): that is the state a balancer is in between two call arrivals, and it makes the count exact.
 */
@Timeout(240)
class PoolAdmissionTest {
    private static final int MAX_CALLS = 10;
    private static final int OFFERED = 35;

    @Test
    void thirtyFiveCallsOfferedToThreeRelaysOfTenGiveThirtyUpAndFiveRefused503(@TempDir Path dir)
            throws Exception {
        try (Pool pool = Pool.start(dir, "relay.admission.max-calls = " + MAX_CALLS)) {
            List<PacedCall> up = new ArrayList<>();
            List<PacedCall> refused = new ArrayList<>();
            for (int i = 0; i < OFFERED; i++) {
                awaitBalancerCurrent(pool, up.size());
                PacedCall c = pool.call("adm-" + i, 3000);
                int status = c.awaitUpgrade(10_000);
                if (status == 101) {
                    c.acked.get(10, TimeUnit.SECONDS);
                    up.add(c);
                } else {
                    assertThat(status).as(c.callId + ": refused before the upgrade").isEqualTo(503);
                    refused.add(c);
                }
            }
            assertThat(up).hasSize(3 * MAX_CALLS);
            assertThat(refused).hasSize(OFFERED - 3 * MAX_CALLS);
            double rejected = 0;
            for (RelayNode n : pool.nodes) {
                assertThat(n.status(pool.http(n)).path("calls").asInt()).as(n.id).isEqualTo(MAX_CALLS);
                assertThat(pool.http(n).get("/readyz").statusCode()).isEqualTo(503);
                rejected += pool.metric(n, "relay_admission_rejected_total", "reason", "max_calls");
            }
            assertThat(rejected).isEqualTo(OFFERED - 3 * MAX_CALLS);
            for (PacedCall c : up) {
                c.hangUp();
            }
            for (PacedCall c : up) {
                assertThat(c.awaitClose(10_000)).isEqualTo(1000);
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }

    /**
     * Waits until HAProxy weighs every relay as its agent answers now (a relay with no room is out:
     * weight 0, or down by its /readyz) and holds {@code calls} sessions to the relays.
     */
    private static void awaitBalancerCurrent(Pool pool, int calls) throws Exception {
        Waits.until("HAProxy's view current with " + calls + " calls up", 15_000, () -> {
            int sessions = 0;
            for (RelayNode n : pool.nodes) {
                String agent = n.agentReply();
                int weight = agent.startsWith("ready ") ? Integer.parseInt(agent.substring(6, agent.length() - 1)) : 0;
                Haproxy.Server s = pool.haproxy.primary(Pool.serverOf(n));
                boolean current = weight == 0 ? s.weight() == 0 || !s.status().startsWith("UP")
                        : s.status().startsWith("UP") && s.weight() == weight;
                if (!current) {
                    return false;
                }
                sessions += s.sessions();
            }
            int refusing = pool.haproxy.servers().stream().filter(s -> s.backend().equals("relays_refusing"))
                    .mapToInt(Haproxy.Server::sessions).sum();
            return sessions == calls && refusing == 0;
        }, () -> String.valueOf(pool.safeServers()));
    }
}
