package dev.relay.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of the pool (SPEC §8.1, §8.4), as {@code docs/operations.md} describes it: one
 * relay at a time gets SIGTERM (what {@code systemctl restart} sends), drains and exits 0, is
 * started again and taken back by HAProxy; meanwhile calls arrive continuously through HAProxy.
 * No call is dropped: every call whose WebSocket was accepted completes (1000, its audio whole at
 * the sink), and the test's client, like a provider, retries a call refused before the upgrade
 * (503 from a relay past its accept grace, or a connection that failed before any upgrade).
 */
@Timeout(300)
class PoolRollingRestartTest {
    /** 3 s calls, a new one every 300 ms: about ten live at any time. */
    private static final int FRAMES = 150;
    private static final long PERIOD_MS = 300;

    @Test
    void restartingTheRelaysOneDrainAtATimeDropsNoCall(@TempDir Path dir) throws Exception {
        try (Pool pool = Pool.start(dir, "")) {
            List<PacedCall> calls;
            try (CallStream stream = new CallStream(pool, "roll-", FRAMES, PERIOD_MS)) {
                Waits.until("calls flowing", 30_000, () -> stream.upgraded().size() >= 10);
                for (RelayNode node : pool.nodes) {
                    int live = node.status(pool.http(node)).path("calls").asInt();
                    long term = System.nanoTime();
                    node.signal("TERM");
                    assertThat(node.awaitExit(60_000)).as(node.tail()).isZero();
                    Figures.record(String.format("rolling restart: %s drained in %.0f ms (SIGTERM to exit 0) with %d"
                            + " live calls of 3 s, accept grace 1 s", node.id, (System.nanoTime() - term) / 1e6, live));
                    node.restart();
                    node.awaitReady(pool.http(node));
                    Waits.until("HAProxy takes " + node.id + " back", 30_000, () -> {
                        Haproxy.Server s = pool.haproxy.primary(Pool.serverOf(node));
                        return s.status().equals("UP") && s.weight() > 0;
                    }, () -> String.valueOf(pool.safeServers()));
                }
                int before = stream.upgraded().size();
                Waits.until("calls flowing after the roll", 30_000, () -> stream.upgraded().size() >= before + 5);
                stream.stop();
                calls = stream.upgraded();
                assertThat(stream.failed()).as("calls never placed").isEmpty();
                Figures.record("rolling restart: " + calls.size() + " calls placed, " + stream.refusals()
                        + " attempts refused before the upgrade and retried");
            }
            for (PacedCall c : calls) {
                assertThat(c.awaitClose(30_000)).as(c.callId + " (" + c.closeReason() + ")").isEqualTo(1000);
                assertThat(c.sent()).as(c.callId + " streamed to its end").isEqualTo(c.planned());
            }
            Waits.until("every call whole at the sink", 30_000, () -> pool.wholeAtSink(calls),
                    () -> pool.sinkReport(calls));
            for (RelayNode n : pool.nodes) {
                assertThat(n.log()).doesNotContain("call.lost", "call.evicted");
            }
            assertThat(pool.leaks()).isEmpty();
        }
    }
}
