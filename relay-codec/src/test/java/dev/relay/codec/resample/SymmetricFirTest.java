package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.relay.codec.resample.SymmetricFir.Kernel;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SymmetricFirTest {
    private static final int MAX_OUTPUTS = 70;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void computesTheSymmetricFirForEveryPairCountAndLength(Kernel kernel) {
        final Random random = new Random(3);
        for (int pairs = 1; pairs <= SymmetricFir.MAX_PAIRS; pairs++) {
            final int span = 2 * pairs - 1;
            final double[] c = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                c[i] = random.nextFloat() - 0.5f; // float-exact, so the reference is exact
            }
            final SymmetricFir fir = new SymmetricFir(c, MAX_OUTPUTS, kernel);
            assertThat(fir.pairs()).isEqualTo(pairs);
            for (int n = 0; n <= MAX_OUTPUTS; n += n < 40 ? 1 : 10) {
                final float[] x = new float[span + n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextFloat() * 2_000 - 1_000;
                }
                final float[] out = new float[n + 1];
                out[n] = 12345; // must stay untouched
                fir.apply(x, out, n);
                for (int t = 0; t < n; t++) {
                    double expected = 0;
                    for (int k = 0; k <= span; k++) {
                        expected += c[Math.min(k, span - k)] * (double) x[t + k];
                    }
                    assertThat((double) out[t]).as("%s P=%d n=%d t=%d", kernel, pairs, n, t)
                            .isCloseTo(expected, within(0.01));
                }
                assertThat(out[n]).isEqualTo(12345f);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void rejectsMoreOutputsThanSizedFor(Kernel kernel) {
        final SymmetricFir fir = new SymmetricFir(new double[] {1, 2}, 8, kernel);
        assertThatThrownBy(() -> fir.apply(new float[12], new float[9], 9))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} pairs")
    @CsvSource({"0", "25"})
    void rejectsPairCountsOutsideOneTo24(int pairs) {
        assertThatThrownBy(() -> new SymmetricFir(new double[pairs], 8, Kernel.SHIFTED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({"'', SHIFTED", "shifted, SHIFTED", "blocked, BLOCKED", "tapsOuter, SHIFTED"})
    void kernelIsShiftedUnlessBlockedIsAskedFor(String property, Kernel expected) {
        assertThat(SymmetricFir.choose(property)).isEqualTo(expected);
    }
}
