package dev.relay.core.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MalformedWindowTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aLongCallWithRareGlitchesNeverReachesTheThreshold() {
        MalformedWindow w = new MalformedWindow(10_000);
        long now = 123 * SECOND;
        int most = 0;
        // One glitch every 2 s for four hours: five per 10 s window at most, far below 50.
        for (int i = 0; i < 4 * 3600 / 2; i++) {
            most = Math.max(most, w.add(now));
            now += 2 * SECOND;
        }
        assertThat(most).isLessThanOrEqualTo(5);
    }

    @Test
    void aBurstWithinTheWindowIsCountedWhole() {
        MalformedWindow w = new MalformedWindow(10_000);
        long now = 5 * SECOND;
        int count = 0;
        for (int i = 0; i < 51; i++) {
            count = w.add(now + i * (SECOND / 10)); // 51 within 5.1 s
        }
        assertThat(count).isEqualTo(51);
    }

    @Test
    void countsOlderThanTheWindowAreForgotten() {
        MalformedWindow w = new MalformedWindow(10_000);
        for (int i = 0; i < 40; i++) {
            w.add(SECOND);
        }
        assertThat(w.add(SECOND * 5)).isEqualTo(41);
        assertThat(w.add(SECOND * 11 + 1)).as("the first 40 left the window").isEqualTo(2);
        assertThat(w.add(SECOND * 100)).isEqualTo(1);
    }

    @Test
    void negativeClockReadingsWork() {
        MalformedWindow w = new MalformedWindow(1_000);
        assertThat(w.add(-5 * SECOND)).isEqualTo(1);
        assertThat(w.add(-5 * SECOND + SECOND / 2)).isEqualTo(2);
        assertThat(w.add(-3 * SECOND)).isEqualTo(1);
    }
}
