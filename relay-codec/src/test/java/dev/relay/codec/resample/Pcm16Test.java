package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pcm16Test {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0.0, 0", "0.49999997, 0", "0.5, 1", "-0.5, 0", "-0.50000006, -1", "1.5, 2", "-1.5, -1",
        "32766.5, 32767", "32767.0, 32767", "32767.5, 32767", "40000.0, 32767", "1e30, 32767",
        "-32767.5, -32767", "-32768.0, -32768", "-32768.5, -32768", "-1e30, -32768",
        "Infinity, 32767", "-Infinity, -32768", "NaN, 0",
    })
    void roundsHalfUpAndSaturates(float v, short expected) {
        assertThat(Pcm16.saturate(v)).isEqualTo(expected);
    }

    @Test
    void agreesWithClampedMathRoundEverywhereInRange() {
        final Random random = new Random(7);
        for (int i = 0; i < 1_000_000; i++) {
            final float v = (random.nextFloat() - 0.5f) * 70_000f;
            final int expected = Math.max(-32768, Math.min(32767, Math.round(v)));
            assertThat(Pcm16.saturate(v)).isEqualTo((short) expected);
        }
        for (int k = -32769; k <= 32768; k++) { // every tie
            final float v = k + 0.5f;
            final int expected = Math.max(-32768, Math.min(32767, Math.round(v)));
            assertThat(Pcm16.saturate(v)).as("%s", v).isEqualTo((short) expected);
        }
    }
}
