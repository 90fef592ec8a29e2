package dev.relay.codec.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.g711.G711;
import dev.relay.codec.resample.HalfBandUpsampler;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** G.711 → PCM16 16 kHz: the law's decode, then the upsampler, one stream across decode and upsample calls. */
class G711ToPcm16kTest {
    @ParameterizedTest
    @EnumSource(G711.class)
    void isTheLawsDecodeThenTheUpsamplerWithStateAcrossCalls(G711 law) {
        SplittableRandom random = new SplittableRandom(law.ordinal());
        G711ToPcm16k path = new G711ToPcm16k();
        HalfBandUpsampler reference = new HalfBandUpsampler();
        short[] pcm8k = new short[400];
        short[] pcm16k = new short[800];
        for (int round = 0; round < 50; round++) {
            int n = random.nextInt(1, 400);
            byte[] codes = new byte[n + 2];
            random.nextBytes(codes);
            short[] decoded = new short[n];
            short[] expected16k = new short[2 * n];
            boolean silence = round % 5 == 4;
            if (!silence) {
                law.decode(codes, 2, decoded, 0, n);
            }
            reference.process(decoded, 0, n, expected16k, 0);

            int written;
            if (silence) {
                Arrays.fill(pcm8k, 0, n, (short) 0);
                written = path.upsample(pcm8k, n, pcm16k);
            } else {
                written = path.decode(law, codes, 2, n, pcm8k, pcm16k);
            }

            assertThat(written).isEqualTo(2 * n);
            assertThat(Arrays.copyOf(pcm8k, n)).isEqualTo(decoded);
            assertThat(Arrays.copyOf(pcm16k, 2 * n)).isEqualTo(expected16k);
        }
    }
}
