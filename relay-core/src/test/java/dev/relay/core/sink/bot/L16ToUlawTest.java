package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.control.audio.PushedAudio;
import dev.relay.core.control.audio.UlawTranscoder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bot L16 → μ-law: any split into messages gives the control API's transcoding of each segment. */
class L16ToUlawTest {
    private static byte[] speechLikeL16(int samples, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] be = new byte[samples * 2];
        for (int i = 0; i < samples; i++) {
            int v = (int) (9000 * Math.sin(i * 0.07) + 4000 * Math.sin(i * 0.9) + random.nextInt(-500, 500));
            be[2 * i] = (byte) (v >> 8);
            be[2 * i + 1] = (byte) v;
        }
        return be;
    }

    private static byte[] reference(byte[] be) {
        return UlawTranscoder.toUlaw(new PushedAudio(true, 16000, true, be, 0, be.length));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 320, 641, 1280, 5000})
    void anySplitEqualsTheClipTranscodingPerSegment(int messageBytes) {
        L16ToUlaw transcoder = new L16ToUlaw();
        PlayoutBatch batch = new PlayoutBatch();
        byte[] first = speechLikeL16(4001, 1);
        byte[] second = speechLikeL16(2500, 2);
        for (byte[] segment : new byte[][] {first, second}) {
            for (int off = 0; off < segment.length; off += messageBytes) {
                transcoder.convert(segment, off, Math.min(messageBytes, segment.length - off), batch);
            }
            transcoder.endSegment(batch);
        }
        byte[] expected1 = reference(first);
        byte[] expected2 = reference(second);
        byte[] got = batch.take();
        assertThat(got).hasSize(expected1.length + expected2.length);
        assertThat(Arrays.copyOf(got, expected1.length)).isEqualTo(expected1);
        assertThat(Arrays.copyOfRange(got, expected1.length, got.length)).isEqualTo(expected2);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 640})
    void resetForgetsAHalfSentSegment(int messageBytes) {
        L16ToUlaw transcoder = new L16ToUlaw();
        PlayoutBatch batch = new PlayoutBatch();
        byte[] dropped = speechLikeL16(999, 3);
        transcoder.convert(dropped, 0, dropped.length - 1, batch);
        batch.clear();
        transcoder.reset();
        byte[] kept = speechLikeL16(1600, 4);
        for (int off = 0; off < kept.length; off += messageBytes) {
            transcoder.convert(kept, off, Math.min(messageBytes, kept.length - off), batch);
        }
        transcoder.endSegment(batch);
        assertThat(batch.take()).isEqualTo(reference(kept));
    }
}
