package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decisions {@code relay.dsp.io-coalesce} makes before each poll of an IO loop, on a test clock. */
class CoalescingSelectStrategyTest {
    private static final long PERIOD = 1_000_000;
    private static final int SELECT = SelectStrategy.SELECT;

    private long now = 5_000_000_000L;
    private final List<Long> sleeps = new ArrayList<>();
    private final CoalescingSelectStrategy strategy = new CoalescingSelectStrategy(PERIOD, () -> now, nanos -> {
        sleeps.add(nanos);
        now += nanos;
    });

    @Test
    void aFreshLoopBlocksAtOnce() throws Exception {
        assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(SELECT);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aWaitThatEndsWithinThePeriodStartsGathering() throws Exception {
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SELECT);
        now += PERIOD / 2; // woken by a message soon after blocking
        assertThat(strategy.calculateStrategy(() -> 3, false)).isEqualTo(3);
        assertThat(sleeps).containsExactly(PERIOD);
    }

    @Test
    void gatheringGoesOnWhileEachPollFindsIo() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 2, false)).isEqualTo(2);
        assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(1);
        assertThat(strategy.calculateStrategy(() -> 4, false)).isEqualTo(4);
        assertThat(sleeps).containsExactly(PERIOD, PERIOD, PERIOD);
    }

    @Test
    void eachPollIsAPeriodAfterThePreviousOneNotAfterThePass() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        strategy.calculateStrategy(() -> 2, false); // first gather: a whole period after the wake's pass
        now += PERIOD / 4; // this pass took a quarter period
        strategy.calculateStrategy(() -> 2, false);
        now += 2 * PERIOD; // this one took two periods: poll again at once
        strategy.calculateStrategy(() -> 2, false);
        assertThat(sleeps).containsExactly(PERIOD, PERIOD * 3 / 4);
    }

    @Test
    void aGatheredPollThatFindsNothingBlocks() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SELECT);
        assertThat(sleeps).containsExactly(PERIOD);
    }

    @Test
    void sparseTrafficWakesOncePerMessageAsWithoutCoalescing() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(SELECT);
            now += 3 * PERIOD; // the next message comes long after the loop blocked
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void trafficThatThinsOutStopsGathering() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        strategy.calculateStrategy(() -> 0, false); // gathered, found nothing: blocks
        now += 2 * PERIOD;
        assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(SELECT);
        assertThat(sleeps).containsExactly(PERIOD);
    }

    @Test
    void aGatherThatFindsNothingCostsTwoShortWaitsBeforeTheNextTry() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SELECT); // gathered in vain
        for (int i = 0; i < 2; i++) {
            now += PERIOD / 4;
            assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(SELECT); // short, but no credit
        }
        assertThat(sleeps).containsExactly(PERIOD);
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(1); // credit back at zero: gathers
        assertThat(sleeps).containsExactly(PERIOD, PERIOD);
    }

    @Test
    void gathersThatPayOutweighAnOccasionalMiss() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        for (int i = 0; i < 4; i++) {
            strategy.calculateStrategy(() -> 1, false); // four gathers that found IO
        }
        assertThat(strategy.calculateStrategy(() -> 0, false)).isEqualTo(SELECT); // one that found none
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 1, false)).isEqualTo(1); // still in credit: gathers
        assertThat(sleeps).hasSize(6);
    }

    @Test
    void queuedTasksAreNeverKeptWaiting() throws Exception {
        strategy.calculateStrategy(() -> 0, false);
        now += PERIOD / 4;
        assertThat(strategy.calculateStrategy(() -> 0, true)).isZero();
        assertThat(strategy.calculateStrategy(() -> 2, true)).isEqualTo(2);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theSleepLastsAtLeastThePeriodEvenWhenInterrupted() {
        Thread.currentThread().interrupt();
        try {
            long start = System.nanoTime();
            CoalescingSelectStrategy.sleepNanos(2_000_000);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(2_000_000);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aPeriodMustBePositive() {
        assertThatThrownBy(() -> new CoalescingSelectStrategy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
