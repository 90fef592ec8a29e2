package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SymmetricFirTest {
    @Test
    void bothKernelsComputeTheSymmetricFirForEveryLengthAndTail() {
        final Random random = new Random(3);
        for (int pairs = 1; pairs <= 25; pairs += 6) {
            final int span = 2 * pairs - 1;
            final float[] c = new float[pairs];
            final double[] cWide = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                c[i] = random.nextFloat() - 0.5f;
                cWide[i] = c[i];
            }
            for (int n = 0; n <= 40; n++) {
                final float[] x = new float[span + n];
                for (int i = 0; i < x.length; i++) {
                    x[i] = random.nextFloat() * 2_000 - 1_000;
                }
                final float[] blocked = new float[n];
                final float[] tapsOuter = new float[n];
                SymmetricFir.blocked(x, c, blocked, n);
                SymmetricFir.tapsOuter(x, cWide, new double[n], tapsOuter, n);
                for (int t = 0; t < n; t++) {
                    double expected = 0;
                    for (int k = 0; k <= span; k++) {
                        expected += c[Math.min(k, span - k)] * (double) x[t + k];
                    }
                    assertThat((double) blocked[t]).as("blocked P=%d n=%d t=%d", pairs, n, t)
                            .isCloseTo(expected, within(0.01));
                    assertThat((double) tapsOuter[t]).as("tapsOuter P=%d n=%d t=%d", pairs, n, t)
                            .isCloseTo(expected, within(0.001));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} on JDK {1} -> tapsOuter={2}")
    @CsvSource({
        "auto, 17, false", "auto, 21, false", "auto, 25, true", "auto, 26, true",
        "blocked, 25, false", "tapsOuter, 17, true", "nonsense, 17, false",
    })
    void kernelChoiceFollowsPropertyThenJdkVersion(String property, int jdk, boolean expected) {
        assertThat(SymmetricFir.choose(property, jdk)).isEqualTo(expected);
    }
}
