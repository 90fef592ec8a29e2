package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The CPU window, sampled by hand on fake clocks: no timers, no real load. */
class ProcessCpuLoadTest {
    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong cpu = new AtomicLong();
    private final AtomicLong wall = new AtomicLong(42 * SECOND);
    private final ProcessCpuLoad load = new ProcessCpuLoad(cpu::get, wall::get, 2);

    /** One period of {@code busyCores} cores busy. */
    private void period(double busyCores) {
        wall.addAndGet(SECOND);
        cpu.addAndGet((long) (busyCores * SECOND));
        load.sample();
    }

    @Test
    void isZeroUntilTwoSamplesSpanAPeriod() {
        assertThat(load.recentLoad()).isZero();
        load.sample();
        assertThat(load.recentLoad()).isZero();
        period(1);
        assertThat(load.recentLoad()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void averagesOverTheLastFivePeriodsAsAFractionOfTheCores() {
        load.sample();
        for (int i = 0; i < 5; i++) {
            period(2);
        }
        assertThat(load.recentLoad()).isCloseTo(1.0, within(1e-9));
        period(0);
        assertThat(load.recentLoad()).isCloseTo(0.8, within(1e-9));
        for (int i = 0; i < 4; i++) {
            period(0);
        }
        assertThat(load.recentLoad()).isZero();
    }

    @Test
    void aBurstLeavesTheWindowAfterFivePeriods() {
        load.sample();
        period(2);
        for (int i = 0; i < 4; i++) {
            period(0);
        }
        assertThat(load.recentLoad()).isCloseTo(0.2, within(1e-9));
        period(0);
        assertThat(load.recentLoad()).isZero();
    }

    @Test
    void thisJvmReportsItsCpuTime() {
        ProcessCpuLoad real = ProcessCpuLoad.forThisProcess();
        assertThat(real).isNotNull();
        real.sample();
        real.sample();
        assertThat(real.recentLoad()).isGreaterThanOrEqualTo(0.0);
    }
}
