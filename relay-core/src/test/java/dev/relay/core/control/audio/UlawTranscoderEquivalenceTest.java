package dev.relay.core.control.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Before UlawTranscoder goes: relay-codec's Pcm16ToUlaw8k.clip gives its bytes for every rate and byte order. */
class UlawTranscoderEquivalenceTest {
    @Test
    void sameBytesForRandomClips() {
        SplittableRandom random = new SplittableRandom(19);
        for (int rateHz : new int[] {8000, 16000, 24000, 48000}) {
            for (boolean bigEndian : new boolean[] {true, false}) {
                for (int round = 0; round < 40; round++) {
                    int length = round < 20 ? round : random.nextInt(30_000);
                    int offset = random.nextInt(4);
                    byte[] body = new byte[offset + length + 3];
                    random.nextBytes(body);
                    PushedAudio audio = new PushedAudio(true, rateHz, bigEndian, body, offset, length);
                    assertThat(Pcm16ToUlaw8k.clip(body, offset, audio.samples() * 2, rateHz, bigEndian))
                            .as("%d Hz, %s, %d bytes", rateHz, bigEndian, length)
                            .isEqualTo(UlawTranscoder.toUlaw(audio));
                }
            }
        }
    }
}
