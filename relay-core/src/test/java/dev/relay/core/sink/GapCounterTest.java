package dev.relay.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Gaps are the samples between where one chunk ended and where the next one starts. */
class GapCounterTest {

    @Test
    void countsOnlyForwardJumpsAfterTheFirstChunk() {
        GapCounter gaps = new GapCounter();
        gaps.next(3200, 320); // the first chunk: nothing before it to compare with
        gaps.next(3520, 320); // contiguous
        assertThat(gaps.gapSamples()).isZero();
        gaps.next(4800, 1600); // 960 samples skipped
        assertThat(gaps.gapSamples()).isEqualTo(960);
        gaps.next(6400, 320); // contiguous again
        gaps.next(6400, 320); // a repeat is not a negative gap
        assertThat(gaps.gapSamples()).isEqualTo(960);
    }
}
