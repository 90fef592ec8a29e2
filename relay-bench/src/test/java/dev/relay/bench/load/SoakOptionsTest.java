package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SoakOptionsTest {
    @Test
    void aSoakIsADurationWithItsOwnDefaults() {
        LoadOptions o = LoadOptions.parse("--soak", "60m", "--faults");
        assertThat(o.durationMs).isEqualTo(3_600_000);
        assertThat(o.calls).isEqualTo(300);
        assertThat(o.progressMs).isEqualTo(60_000);
        assertThat(o.rampMsFor(o.calls)).isEqualTo(15_000);
        assertThat(o.sinks).containsExactly("aiola", "session-stream", "recorder");
        assertThat(o.relaySet).contains("relay.sinks.session-stream.wire=envelope");
    }

    @Test
    void theCommandLineOverridesTheSoakDefaults() {
        LoadOptions o = LoadOptions.parse("--soak", "10m", "--calls", "100", "--sinks", "aiola", "--progress", "30s",
                "--ramp", "2s");
        assertThat(o.calls).isEqualTo(100);
        assertThat(o.rampMsFor(o.calls)).isEqualTo(2_000);
        assertThat(o.progressMs).isEqualTo(30_000);
        assertThat(o.sinks).containsExactly("aiola");
        assertThat(o.relaySet).isEmpty();
    }

    @Test
    void theProductionScheduleAndItsScale() {
        SoakOptions s = LoadOptions.parse("--soak", "60m", "--faults").soak;
        assertThat(List.of(s.killAiolaEveryMs(), s.stallEveryMs(), s.stallForMs(), s.refuseForMs()))
                .containsExactly(300_000L, 420_000L, 30_000L, 10_000L);
        SoakOptions ten = LoadOptions.parse("--soak", "10m", "--faults", "--fault-scale", "10").soak;
        assertThat(List.of(ten.killAiolaEveryMs(), ten.stallEveryMs(), ten.stallForMs(), ten.refuseForMs()))
                .containsExactly(30_000L, 42_000L, 3_000L, 1_000L);
        SoakOptions explicit = LoadOptions.parse("--soak", "10m", "--faults", "--fault-scale", "10",
                "--stall-for", "5s").soak;
        assertThat(explicit.stallForMs()).isEqualTo(5_000);
        assertThat(explicit.killAiolaEveryMs()).isEqualTo(30_000);
    }

    @Test
    void badSchedulesAreRefused() {
        assertThatThrownBy(() -> LoadOptions.parse("--faults")).hasMessageContaining("--faults needs --soak");
        assertThatThrownBy(() -> LoadOptions.parse("--soak", "5m", "--fault-scale", "0.5"))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> LoadOptions.parse("--soak", "5m", "--faults", "--stall-every", "20s",
                "--stall-for", "15s", "--refuse-for", "10s")).hasMessageContaining("must end before the next");
        assertThatThrownBy(() -> LoadOptions.parse("--soak", "5m", "--target", "ws://127.0.0.1:1/media"))
                .hasMessageContaining("--soak drives a relay it starts");
    }

    @Test
    void faultWindowsCoverByIntendedTimeOrArrivalPerSink() {
        FaultWindows w = new FaultWindows(2);
        w.open(1, 100, 200);
        assertThat(w.covers(1, 150, 300)).as("intended inside").isTrue();
        assertThat(w.covers(1, 50, 150)).as("arrived inside").isTrue();
        assertThat(w.covers(1, 50, 250)).as("spanning, neither inside").isFalse();
        assertThat(w.covers(1, 200, 200)).as("the end is open").isFalse();
        assertThat(w.covers(0, 150, 150)).as("another sink").isFalse();
        assertThat(w.count(1)).isEqualTo(1);
    }
}
