package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.relay.codec.resample.SymmetricFir.Kernel;
import dev.relay.codec.testing.TestData;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DecimatorTest {
    private static final double AMPLITUDE = 10_000;
    private static final int MEASURE = 8_192;
    private static final int SETTLE_OUT = 200;

    /** Float output of a fresh decimator for a tone at the input rate. */
    private static float[] decimatedTone(int rateHz, double freqHz) {
        final Decimator dec = Decimator.to8k(rateHz);
        final float[] in =
                Signals.sine((SETTLE_OUT + MEASURE + 1) * dec.factor(), freqHz, rateHz, AMPLITUDE);
        final float[] out = new float[in.length / dec.factor() + 1];
        final int n = dec.process(in, 0, in.length, out, 0);
        assertThat(n).isGreaterThanOrEqualTo(SETTLE_OUT + MEASURE);
        return out;
    }

    private static double level(float[] out, double freqHz) {
        return Signals.toneAmplitude(out, SETTLE_OUT, MEASURE, freqHz, 8_000);
    }

    @ParameterizedTest(name = "{0} Hz")
    @CsvSource({"16000, 2", "24000, 3", "48000, 6"})
    void supportsTheThreeInputRates(int rateHz, int factor) {
        final Decimator dec = Decimator.to8k(rateHz);
        assertThat(dec.inputRateHz()).isEqualTo(rateHz);
        assertThat(dec.factor()).isEqualTo(factor);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {8_000, 11_025, 22_050, 32_000, 44_100, 96_000, 0, -16_000})
    void rejectsOtherInputRates(int rateHz) {
        assertThatThrownBy(() -> Decimator.to8k(rateHz))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Integer.toString(rateHz));
    }

    @ParameterizedTest(name = "{0} Hz: {1} Hz")
    @CsvSource({
        "16000, 4600", "16000, 4700", "16000, 5000", "16000, 7000", "16000, 7900",
        "24000, 4600", "24000, 4695", "24000, 5000", "24000, 7000", "24000, 9000",
        "24000, 11000", "24000, 11700",
        "48000, 4600", "48000, 4624", "48000, 5000", "48000, 7000", "48000, 11000",
        "48000, 13000", "48000, 19000", "48000, 20500", "48000, 23900",
    })
    void attenuatesTonesThatWouldAliasByAtLeast90Db(int rateHz, double freqHz) {
        double aliasHz = freqHz % 8_000;
        aliasHz = aliasHz > 4_000 ? 8_000 - aliasHz : aliasHz;
        final double passband = level(decimatedTone(rateHz, 1_000), 1_000);
        final double alias = level(decimatedTone(rateHz, freqHz), aliasHz);
        final double rejectionDb = Signals.db(passband / alias);
        System.out.printf("decimator %d Hz: tone %5.0f Hz aliases to %4.0f Hz at %.1f dB%n",
                rateHz, freqHz, aliasHz, -rejectionDb);
        assertThat(rejectionDb).isGreaterThanOrEqualTo(90);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void passbandIsFlatWithin0p1DbUpTo3400Hz(int rateHz) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double f = 100; f <= 3_400; f += 100) {
            final double gainDb = Signals.db(level(decimatedTone(rateHz, f), f) / AMPLITUDE);
            min = Math.min(min, gainDb);
            max = Math.max(max, gainDb);
        }
        System.out.printf("decimator %d Hz: passband gain %+.6f..%+.6f dB, ripple %.6f dB%n",
                rateHz, min, max, max - min);
        assertThat(max - min).isLessThanOrEqualTo(0.1);
        assertThat(min).isGreaterThan(-0.05);
        assertThat(max).isLessThan(0.05);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void impulseAtInputMnPeaksAtOutputNPlusDelayAndIsSymmetric(int rateHz) {
        final Decimator dec = Decimator.to8k(rateHz);
        final int m = dec.factor();
        final int d = dec.delaySamples();
        final float[] in = new float[m * (2 * d + 20)];
        in[m * 5] = 1_000;
        final float[] out = new float[in.length];
        final int n = dec.process(in, 0, in.length, out, 0);
        final int peak = 5 + d;
        for (int i = 0; i < n; i++) {
            assertThat(Math.abs(out[i])).as("sample %d", i).isLessThanOrEqualTo(out[peak]);
        }
        assertThat(out[peak]).isCloseTo(1_000f / m, within(1e-3f));
        for (int k = 1; k <= d; k++) {
            assertThat(out[peak + k]).as("lag %d", k).isCloseTo(out[peak - k], within(1e-5f));
        }
        System.out.printf("decimator %d Hz: delay %d samples at 8 kHz = %.3f ms%n",
                rateHz, d, d / 8.0);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void delayedOutputLinesUpWithTheInputInstants(int rateHz) {
        final Decimator dec = Decimator.to8k(rateHz);
        final int m = dec.factor();
        final int d = dec.delaySamples();
        final float[] in = Signals.sine(4_000 * m, 1_000, rateHz, AMPLITUDE);
        final float[] out = new float[4_000];
        dec.process(in, 0, in.length, out, 0);
        double worst = 0;
        for (int n = 100; n + d < out.length; n++) {
            worst = Math.max(worst, Math.abs(out[n + d] - in[m * n]));
        }
        assertThat(worst).isLessThan(AMPLITUDE * 1e-4);
    }

    @ParameterizedTest(name = "{0} Hz, frames {1}")
    @CsvSource(delimiter = ';', value = {
        "16000; 1", "16000; 161", "16000; 7,1,0,500,3,320",
        "24000; 1", "24000; 2", "24000; 479", "24000; 481", "24000; 5000",
        "48000; 1", "48000; 5", "48000; 959", "48000; 960", "48000; 961", "48000; 7,1,0,2000,3,11",
    })
    void anyFramingGivesTheSameOutputAsOneCall(int rateHz, String sizes) {
        final short[] in = HalfBandUpsamplerTest.noiseAndSpeech(6_000);
        final Decimator oneShot = Decimator.to8k(rateHz);
        final short[] whole = new short[in.length];
        final int wholeLen = oneShot.process(in, 0, in.length, whole, 0);
        final int m = oneShot.factor();
        assertThat(wholeLen).isEqualTo(Decimator.to8k(rateHz).outputLength(in.length))
                .isBetween(in.length / m, in.length / m + 1);
        final float[] inF = Signals.toFloat(in);
        final float[] wholeF = new float[in.length];
        Decimator.to8k(rateHz).process(inF, 0, inF.length, wholeF, 0);

        final int[] frames = Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        final Decimator s = Decimator.to8k(rateHz);
        final Decimator f = Decimator.to8k(rateHz);
        final short[] split = new short[in.length];
        final float[] splitF = new float[in.length];
        int written = 0;
        for (int pos = 0, i = 0; pos < in.length; i++) {
            final int len = Math.min(frames[i % frames.length], in.length - pos);
            final int expected = s.outputLength(len);
            assertThat(expected).isBetween(len / m, len / m + 1);
            assertThat(s.process(in, pos, len, split, written)).isEqualTo(expected);
            assertThat(f.process(inF, pos, len, splitF, written)).isEqualTo(expected);
            written += expected;
            pos += len;
        }
        assertThat(written).isEqualTo(wholeLen);
        assertThat(split).isEqualTo(whole);
        assertThat(splitF).isEqualTo(wholeF);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void halfBandKernelsDifferOnlyByFloatRoundingAndIgnoreFraming(Kernel kernel) {
        final float[] in = Signals.toFloat(HalfBandUpsamplerTest.noiseAndSpeech(6_000));
        final float[] blocked = new float[in.length / 2];
        Decimator.to8k(16_000, Kernel.BLOCKED).process(in, 0, in.length, blocked, 0);
        final float[] whole = new float[in.length / 2];
        Decimator.to8k(16_000, kernel).process(in, 0, in.length, whole, 0);
        final Decimator framed = Decimator.to8k(16_000, kernel);
        final float[] split = new float[in.length / 2];
        final int[] frames = {7, 1, 0, 500, 3, 320, 321};
        int written = 0;
        for (int pos = 0, i = 0; pos < in.length; i++) {
            final int len = Math.min(frames[i % frames.length], in.length - pos);
            written += framed.process(in, pos, len, split, written);
            pos += len;
        }
        assertThat(written).isEqualTo(in.length / 2);
        assertThat(split).isEqualTo(whole);
        double worst = 0;
        for (int i = 0; i < blocked.length; i++) {
            worst = Math.max(worst, Math.abs(blocked[i] - whole[i]));
        }
        assertThat(worst).isLessThan(0.01);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void resetForgetsEarlierInputAndPhase(int rateHz) {
        final short[] in = HalfBandUpsamplerTest.noiseAndSpeech(1_001);
        final Decimator used = Decimator.to8k(rateHz);
        used.process(in, 0, in.length, new short[in.length], 0);
        used.reset();
        final short[] afterReset = new short[in.length];
        final int n = used.process(in, 0, in.length, afterReset, 0);
        final short[] fresh = new short[in.length];
        assertThat(Decimator.to8k(rateHz).process(in, 0, in.length, fresh, 0)).isEqualTo(n);
        assertThat(afterReset).isEqualTo(fresh);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void shortOutputSaturatesInsteadOfWrapping(int rateHz) {
        final Decimator probe = Decimator.to8k(rateHz);
        final short[] in = new short[probe.factor() * 800];
        final int halfPeriod = probe.factor() * 8; // 500 Hz square wave at full scale
        for (int i = 0; i < in.length; i++) {
            in[i] = (i / halfPeriod) % 2 == 0 ? Short.MAX_VALUE : Short.MIN_VALUE;
        }
        final float[] outF = new float[in.length];
        final int n = probe.process(Signals.toFloat(in), 0, in.length, outF, 0);
        final short[] out = new short[in.length];
        Decimator.to8k(rateHz).process(in, 0, in.length, out, 0);
        int clipped = 0;
        for (int i = 0; i < n; i++) {
            final int expected = Math.max(-32768, Math.min(32767, Math.round(outF[i])));
            assertThat(out[i]).as("sample %d", i).isEqualTo((short) expected);
            clipped += outF[i] > 32767.5f || outF[i] < -32768.5f ? 1 : 0;
        }
        assertThat(clipped).isPositive();
    }

    @Test
    void decimatingTheSoxUpsampledSpeechRecoversTheOriginalBelow3400Hz() {
        final short[] ref16 = TestData.s16le("speech_16k_ref_s16le.raw");
        final short[] orig = TestData.s16le("speech_8k_s16le.raw");
        final Decimator dec = Decimator.to8k(16_000);
        final short[] out = new short[orig.length];
        for (int pos = 0; pos < ref16.length; pos += 320) {
            final int len = Math.min(320, ref16.length - pos);
            dec.process(ref16, pos, len, out, pos / 2);
        }
        final int d = dec.delaySamples();
        final int skip = 500;
        final int n = orig.length - d - 2 * skip;
        final double[] r = new double[n];
        final double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = orig[skip + i];
            e[i] = out[skip + i + d] - r[i];
        }
        final double bandDb = Signals.snrDb(r, e, 8_000, 3_400, 4_600);
        System.out.printf("decimator 16 kHz: sox-upsampled speech back to 8 kHz,"
                + " SNR 0-3.4 kHz %.1f dB%n", bandDb);
        assertThat(bandDb).isGreaterThanOrEqualTo(60);
    }

    @Test
    void rejectsRangesOutsideTheArraysWithoutChangingState() {
        final Decimator dec = Decimator.to8k(48_000);
        assertThatThrownBy(() -> dec.process(new short[960], 0, 960, new short[159], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> dec.process(new float[960], 1, 960, new float[160], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(dec.outputLength(960)).isEqualTo(160);
    }

    @ParameterizedTest(name = "{0} Hz")
    @ValueSource(ints = {16_000, 24_000, 48_000})
    void steadyStateProcessingDoesNotAllocate(int rateHz) {
        final Decimator dec = Decimator.to8k(rateHz);
        final short[] in = HalfBandUpsamplerTest.noiseAndSpeech(160 * dec.factor());
        final float[] inF = Signals.toFloat(in);
        final short[] out = new short[161];
        final float[] outF = new float[161];
        for (int i = 0; i < 5_000; i++) {
            dec.process(in, 0, in.length, out, 0);
            dec.process(inF, 0, inF.length, outF, 0);
        }
        final long allocated = Allocation.measure(() -> {
            for (int i = 0; i < 2_000; i++) {
                dec.process(in, 0, in.length, out, 0);
                dec.process(inF, 0, inF.length, outF, 0);
            }
        });
        assertThat(allocated).as("bytes for 4 000 calls").isLessThan(2_000);
    }
}
