package dev.relay.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnceTheConditionHoldsAndNotBefore() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", () -> polls.incrementAndGet() == 3);
        assertThat(polls.get()).isEqualTo(3);
    }

    @Test
    void returnsTheFirstValueTheProbeFinds() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        String v = Await.value("a value", Duration.ofSeconds(5), () -> polls.incrementAndGet() < 2 ? null : "x", null);
        assertThat(v).isEqualTo("x");
    }

    @Test
    void failsNamingWhatWasAwaitedAndWhatWasSeen() {
        assertThatThrownBy(() -> Await.until("the impossible", Duration.ofMillis(20), () -> false))
                .isInstanceOf(AssertionError.class)
                .hasMessage("the impossible: not within 20 ms");
        assertThatThrownBy(() -> Await.value("an event", Duration.ofMillis(20), () -> null, () -> List.of("e1")))
                .isInstanceOf(AssertionError.class)
                .hasMessage("an event: not within 20 ms; saw [e1]");
    }

    @Test
    void duringPassesWhileTheInvariantHoldsAndFailsAtTheFirstBreak() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        Await.during("nothing happens", Duration.ofMillis(30), () -> polls.incrementAndGet() > 0);
        assertThat(polls.get()).isGreaterThanOrEqualTo(2);
        AtomicInteger n = new AtomicInteger();
        assertThatThrownBy(() -> Await.during("at most two polls", Duration.ofSeconds(30),
                () -> n.incrementAndGet() <= 2))
                .isInstanceOf(AssertionError.class)
                .hasMessage("at most two polls: broken within 30000 ms");
        assertThat(n.get()).as("failed at the first break, not at the window's end").isEqualTo(3);
    }
}
