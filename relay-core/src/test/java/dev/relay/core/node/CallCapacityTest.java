package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CallCapacityTest {
    @Test
    void derivesFromTheOpenFileLimitAndTheDefaultRoute() {
        CallCapacity c = CallCapacity.of(0, List.of("recorder"), 20_000, 20_000);
        assertThat(c.maxCalls()).isEqualTo((20_000 - CallCapacity.RESERVED_FDS) / 2);
        assertThat(c.explanation()).contains("open-file limit 20000", "512 reserved", "2 descriptors per call",
                "[recorder]");
        CallCapacity fanout = CallCapacity.of(0, List.of("recorder", "aiola", "session-stream"), 20_000, 20_000);
        assertThat(fanout.maxCalls()).isEqualTo((20_000 - 512) / 4);
    }

    @Test
    void anExplicitMaxCallsWinsAndTheLogSaysWhatTheLimitWouldAllow() {
        CallCapacity c = CallCapacity.of(3, List.of("recorder"), 20_000, 20_000);
        assertThat(c.maxCalls()).isEqualTo(3);
        assertThat(c.explanation()).contains("relay.admission.max-calls", "would allow 9744");
    }

    @Test
    void aTinyLimitStillAdmitsOneCall() {
        assertThat(CallCapacity.of(0, List.of("recorder"), 100, 20_000).maxCalls()).isEqualTo(1);
    }

    @Test
    void anUnknownLimitFallsBackToMaxConnections() {
        CallCapacity c = CallCapacity.of(0, List.of("recorder"), -1, 777);
        assertThat(c.maxCalls()).isEqualTo(777);
        assertThat(c.explanation()).contains("unknown");
    }

    @Test
    void thisProcessHasAnOpenFileLimit() {
        assertThat(CallCapacity.openFileLimit()).isGreaterThan(CallCapacity.RESERVED_FDS);
    }
}
