package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Before L16ToUlaw goes: relay-codec's Pcm16ToUlaw8k gives its bytes for the same messages and boundaries. */
class L16ToUlawEquivalenceTest {
    @Test
    void sameBytesForRandomMessagesMarksAndClears() {
        SplittableRandom random = new SplittableRandom(17);
        for (int call = 0; call < 40; call++) {
            L16ToUlaw old = new L16ToUlaw();
            PlayoutBatch oldOut = new PlayoutBatch();
            Pcm16ToUlaw8k now = new Pcm16ToUlaw8k(16_000, true);
            ByteArrayOutputStream nowOut = new ByteArrayOutputStream();
            for (int event = 0; event < 60; event++) {
                int kind = random.nextInt(10);
                if (kind == 0) {
                    old.endSegment(oldOut);
                    now.endSegment(nowOut::write);
                } else if (kind == 1) {
                    old.reset();
                    now.reset();
                } else {
                    byte[] message = new byte[random.nextInt(2000)];
                    random.nextBytes(message);
                    old.convert(message, 0, message.length, oldOut);
                    now.convert(message, 0, message.length, nowOut::write);
                }
            }
            old.endSegment(oldOut);
            now.endSegment(nowOut::write);
            assertThat(nowOut.toByteArray()).isEqualTo(oldOut.take());
        }
    }
}
