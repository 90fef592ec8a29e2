package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --pin}'s CPU split. */
class PinningTest {

    @Test
    void anExplicitSplitIsTakenAsGiven() {
        Pinning p = Pinning.resolve("0-1/2,3");
        assertThat(p.relayCpus()).isEqualTo("0-1");
        assertThat(p.generatorCpus()).isEqualTo("2,3");
        assertThat(p.relayCoreCount()).isEqualTo(2);
        assertThat(p.generatorCoreCount()).isEqualTo(2);
        assertThat(p.relayPrefix()).containsExactly("taskset", "-c", "0-1");
    }

    @Test
    void theDefaultSplitGivesTheRelayTheFirstHalfOfTheAllowedCpus() {
        var allowed = Pinning.allowedCpus();
        if (allowed.size() >= 2) {
            Pinning p = Pinning.resolve("");
            assertThat(p.relayCoreCount()).isEqualTo(allowed.size() / 2);
            assertThat(p.relayCoreCount() + p.generatorCoreCount()).isEqualTo(allowed.size());
            assertThat(Pinning.expand(p.relayCpus()).get(0)).isEqualTo(allowed.get(0));
        }
    }

    @Test
    void cpuListsExpandAsTasksetReadsThem() {
        assertThat(Pinning.expand("0-2,5")).containsExactly(0, 1, 2, 5);
        assertThat(Pinning.expand("7")).containsExactly(7);
    }

    @Test
    void theReportSaysWhatIsPinned() {
        Pinning p = Pinning.resolve("0/1");
        assertThat(p.describe(false)).isEqualTo("relay JVM on CPU 0, generator and fakes on CPU 1 (taskset)");
        assertThat(p.describe(true)).contains("the external relay is not pinned by the generator");
    }
}
