package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.resample.SymmetricFir.Kernel;
import dev.relay.codec.testing.TestData;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Compares the upsampler with the sox {@code rate -v} references (testdata README §3, §4). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpsamplerReferenceTest {
    private static final int FRAME = 160;

    /** Float output of 8 kHz input fed in 20 ms frames, as a call would. */
    private static float[] upsampleInFrames(short[] in, Kernel kernel) {
        final float[] inF = Signals.toFloat(in);
        final float[] out = new float[2 * in.length];
        final HalfBandUpsampler up = new HalfBandUpsampler(kernel);
        for (int pos = 0; pos < in.length; pos += FRAME) {
            up.process(inF, pos, Math.min(FRAME, in.length - pos), out, 2 * pos);
        }
        return out;
    }

    private static short[] upsampleInFramesPcm16(short[] in, Kernel kernel) {
        final short[] out = new short[2 * in.length];
        final HalfBandUpsampler up = new HalfBandUpsampler(kernel);
        for (int pos = 0; pos < in.length; pos += FRAME) {
            up.process(in, pos, Math.min(FRAME, in.length - pos), out, 2 * pos);
        }
        return out;
    }

    /** {@code {reference, error}} over the aligned segment: out[n + D] against ref[n]. */
    private static double[][] aligned(float[] out, short[] ref, int skip) {
        final int d = HalfBandUpsampler.delaySamples();
        final int n = ref.length - d - 2 * skip;
        final double[] r = new double[n];
        final double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = ref[skip + i];
            e[i] = out[skip + i + d] - r[i];
        }
        return new double[][] {r, e};
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void speechMatchesSoxReferenceWithin36DbFullBandAnd70DbOutsideTheTransition(Kernel kernel) {
        final short[] in = TestData.s16le("speech_8k_s16le.raw");
        final short[] ref = TestData.s16le("speech_16k_ref_s16le.raw");
        assertThat(ref).hasSize(2 * in.length);

        final double[][] f = aligned(upsampleInFrames(in, kernel), ref, 1_000);
        final double fullDb = Signals.snrDb(f[0], f[1], 16_000, 0, 0);
        final double bandDb = Signals.snrDb(f[0], f[1], 16_000, 3_400, 4_600);
        final float[] pcm16 = Signals.toFloat(upsampleInFramesPcm16(in, kernel));
        final double[][] s = aligned(pcm16, ref, 1_000);
        final double bandPcm16Db = Signals.snrDb(s[0], s[1], 16_000, 3_400, 4_600);
        System.out.printf("upsampler speech vs sox: SNR full band %.1f dB, 0-3.4 + 4.6-8 kHz"
                + " %.1f dB (float out), %.1f dB (int16 out), %s%n",
                fullDb, bandDb, bandPcm16Db, kernel);
        assertThat(fullDb).isGreaterThanOrEqualTo(36);
        assertThat(bandDb).isGreaterThanOrEqualTo(70);
        assertThat(bandPcm16Db).isGreaterThanOrEqualTo(70);
    }

    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"1000, 90, 90", "3400, 60, 85"})
    void tonesMatchSoxReference(int freqHz, double minFullDb, double minBandDb) {
        final short[] in = Signals.ulawDecode(TestData.bytes("sine_" + freqHz + "hz_8k.ulaw"));
        final short[] ref = TestData.s16le("sine_" + freqHz + "hz_16k_ref_s16le.raw");
        assertThat(ref).hasSize(2 * in.length);

        final double[][] f = aligned(upsampleInFrames(in, SymmetricFir.DEFAULT), ref, 800);
        final double fullDb = Signals.snrDb(f[0], f[1], 16_000, 0, 0);
        final double bandDb = Signals.snrDb(f[0], f[1], 16_000, 3_400, 4_600);
        System.out.printf("upsampler %d Hz tone vs sox: SNR full band %.1f dB,"
                + " 0-3.4 + 4.6-8 kHz %.1f dB%n", freqHz, fullDb, bandDb);
        assertThat(fullDb).isGreaterThanOrEqualTo(minFullDb);
        assertThat(bandDb).isGreaterThanOrEqualTo(minBandDb);
    }

    @Test
    void testLocalUlawDecoderAgreesWithTheDecodedSpeechFile() {
        assertThat(Signals.ulawDecode(TestData.bytes("speech_8k.ulaw")))
                .isEqualTo(TestData.s16le("speech_8k_s16le.raw"));
    }
}
