package dev.relay.bench.sizing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sizing simulation: its arrival model against the formulas it claims, and a short replay
 * against a real {@code redis-server} (started by the simulation) through the relay's own engine.
 */
class RegistrySimTest {
    @Test
    void arrivalsFollowTheDiurnalCurveAndDurationsHaveTheWantedMean() {
        ArrivalModel m = new ArrivalModel(1000, 100, 0.8, 0.2, 12 * 3600, 7);
        assertThat(m.ratePerS(12 * 3600)).isCloseTo(10, Offset.offset(1e-9));
        assertThat(m.ratePerS(0)).isCloseTo(2, Offset.offset(1e-9));
        assertThat(m.concurrencyAt(12 * 3600)).isCloseTo(1000, Offset.offset(1e-6));
        int n = 200_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += m.durationS();
        }
        assertThat(sum / n).isCloseTo(100, Percentage.withPercentage(3));
        // One hour around the peak: about 10 calls a second, Poisson.
        int arrivals = 0;
        for (double t = m.nextArrivalS(11.5 * 3600); t < 12.5 * 3600; t = m.nextArrivalS(t)) {
            arrivals++;
        }
        assertThat(arrivals).isBetween(35_000, 37_000);
    }

    @Test
    void residualTimeOfCallsInProgressIsLongerThanANewCallsOnAverage() {
        // Length bias: for a log-normal, E[residual] = E[D^2] / (2 E[D]) = mean * e^(sigma^2) / 2.
        ArrivalModel m = new ArrivalModel(1000, 100, 0.8, 0.2, 12 * 3600, 11);
        int n = 200_000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += m.residualS();
        }
        assertThat(sum / n).isCloseTo(100 * Math.exp(0.64) / 2, Percentage.withPercentage(4));
    }

    @Test
    void optionsNeedUnitsAndAnOrderedWindow() {
        SizingOptions o = SizingOptions.parse("--peak-calls", "500", "--mean-duration", "3m", "--from", "09:15",
                "--to", "24:00", "--heartbeat", "2000ms");
        assertThat(o.meanDurationS).isEqualTo(180);
        assertThat(o.fromS).isEqualTo(9 * 3600 + 15 * 60);
        assertThat(o.toS).isEqualTo(86_400);
        assertThat(o.heartbeatMs).isEqualTo(2000);
        assertThatThrownBy(() -> SizingOptions.parse("--from", "12:00", "--to", "11:00"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SizingOptions.parse("--mean-duration", "3x"))
                .hasMessageContaining("unit");
        assertThatThrownBy(() -> SizingOptions.parse("--peek-calls", "3")).hasMessageContaining("--peek-calls");
    }

    @Test
    @Timeout(120)
    void aShortReplayRegistersEveryCallAndMeasuresRedis() throws Exception {
        SizingOptions o = SizingOptions.parse("--peak-calls", "300", "--mean-duration", "30s", "--from", "11:55",
                "--to", "12:05", "--speed", "60", "--nodes", "3", "--heartbeat", "2s");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        SizingResult r = RegistrySim.run(o, new PrintStream(progress, true, StandardCharsets.UTF_8));
        String report = r.report();
        assertThat(r.errors()).as(report).isZero();
        // 10 simulated minutes at ~10 calls/s.
        assertThat(r.driver().arrivals.get()).as(report).isBetween(5000L, 7000L);
        assertThat(r.driver().claimUs.getTotalCount()).as("every claim answered").isEqualTo(
                r.driver().arrivals.get());
        assertThat(r.busiest().live()).as(report).isBetween(200, 400);
        // Per call: a claim and an unregister (EVALSHA each) and two publishes.
        assertThat(r.commandsPerCall()).as(report).isBetween(3.0, 5.0);
        assertThat(r.bytesPerCall()).as(report).isPositive();
        assertThat(r.heartbeatPerS()).as(report).isGreaterThan(0);
        assertThat(report).contains("bytes per call", "claim p50", "real-time equivalent");
    }
}
