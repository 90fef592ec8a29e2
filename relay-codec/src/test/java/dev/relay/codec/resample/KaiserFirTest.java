package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KaiserFirTest {
    @ParameterizedTest(name = "I0({0})")
    @CsvSource({"0, 1", "1, 1.2660658777520082", "5, 27.239871823604442", "11, 7288.489339821248"})
    void besselI0MatchesTabulatedValues(double x, double expected) {
        assertThat(KaiserFir.besselI0(x)).isCloseTo(expected, within(expected * 1e-14));
    }

    @ParameterizedTest(name = "{0} dB over {1} -> {2} taps")
    @CsvSource({"108, 0.075, 95", "100, 0.075, 87", "100, 0.05, 131", "100, 0.025, 259"})
    void lengthFollowsKaisersFormulaRoundedUpToOdd(double db, double width, int taps) {
        assertThat(KaiserFir.oddLength(db, width)).isEqualTo(taps);
    }

    @Test
    void betaFollowsKaisersFormula() {
        assertThat(KaiserFir.beta(100)).isCloseTo(0.1102 * 91.3, within(1e-12));
        assertThat(KaiserFir.beta(30))
                .isCloseTo(0.5842 * Math.pow(9, 0.4) + 0.07886 * 9, within(1e-12));
        assertThat(KaiserFir.beta(20)).isZero();
    }

    @ParameterizedTest(name = "band {0}")
    @CsvSource({"2, 95", "3, 131", "6, 259"})
    void nyquistLowpassIsSymmetricWithExactZerosAndUnitDcGain(int band, int length) {
        final double[] h = KaiserFir.nyquistLowpass(length, band, KaiserFir.beta(100));
        final int centre = (length - 1) / 2;
        double sum = 0;
        for (int k = 0; k < length; k++) {
            assertThat(h[k]).as("tap %d", k).isEqualTo(h[length - 1 - k]);
            final int offset = k - centre;
            if (offset != 0 && offset % band == 0) {
                assertThat(h[k]).as("tap %d", k).isZero();
            } else {
                assertThat(h[k]).as("tap %d", k).isNotZero();
            }
            sum += h[k];
        }
        assertThat(h[centre]).isEqualTo(1.0 / band);
        assertThat(sum).isCloseTo(1.0, within(1e-4));
    }

    @Test
    void rejectsEvenLengths() {
        assertThatThrownBy(() -> KaiserFir.nyquistLowpass(96, 2, 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
