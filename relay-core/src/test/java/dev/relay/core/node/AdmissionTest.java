package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.node.Admission.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private double cpu;
    private final Admission admission = new Admission(3, 0.9, () -> cpu);

    @Test
    void takesSlotsUpToMaxCallsThenRefusesAndCounts() {
        for (int i = 0; i < 3; i++) {
            assertThat(admission.tryAcquire()).isNull();
        }
        assertThat(admission.fullReason()).isEqualTo(Reason.MAX_CALLS);
        assertThat(admission.tryAcquire()).isEqualTo(Reason.MAX_CALLS);
        assertThat(admission.tryAcquire()).isEqualTo(Reason.MAX_CALLS);
        assertThat(admission.rejected(Reason.MAX_CALLS)).isEqualTo(2);
        assertThat(admission.slotsInUse()).isEqualTo(3);
        admission.release();
        assertThat(admission.fullReason()).isNull();
        assertThat(admission.tryAcquire()).isNull();
    }

    @Test
    void refusesWhileCpuIsOverTheLimit() {
        cpu = 0.95;
        assertThat(admission.fullReason()).isEqualTo(Reason.CPU);
        assertThat(admission.tryAcquire()).isEqualTo(Reason.CPU);
        assertThat(admission.slotsInUse()).isZero();
        assertThat(admission.rejected(Reason.CPU)).isEqualTo(1);
        cpu = 0.9;
        assertThat(admission.tryAcquire()).isNull();
    }

    @Test
    void zeroMaxCpuMeansNoCpuLimit() {
        Admission noCpuLimit = new Admission(1, 0, () -> 5.0);
        assertThat(noCpuLimit.tryAcquire()).isNull();
        assertThat(noCpuLimit.freePercent()).isZero();
    }

    @Test
    void freePercentIsTheSmallerHeadroomAtLeastOneUntilFull() {
        Admission big = new Admission(1000, 0.8, () -> cpu);
        assertThat(big.freePercent()).isEqualTo(100);
        big.tryAcquire();
        assertThat(big.freePercent()).isEqualTo(99);
        cpu = 0.4;
        assertThat(big.freePercent()).isEqualTo(50);
        cpu = 0.7999;
        assertThat(big.freePercent()).isEqualTo(1);
        cpu = 0.81;
        assertThat(big.freePercent()).isZero();
    }

    @Test
    void drainRefusalsAreCountedUnderTheirOwnReason() {
        assertThat(admission.refuse(Reason.DRAINING)).isEqualTo(Reason.DRAINING);
        assertThat(admission.rejected(Reason.DRAINING)).isEqualTo(1);
        assertThat(List.of(Reason.values())).extracting(Reason::label).containsExactly("max_calls", "cpu", "draining");
    }
}
