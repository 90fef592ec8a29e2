package dev.relay.codec.resample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.relay.codec.resample.SymmetricFir.Kernel;
import dev.relay.codec.testing.TestData;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class HalfBandUpsamplerTest {
    private static final double AMPLITUDE = 10_000;
    /** Output samples measured per tone: 1 s at 16 kHz, after the filter has filled. */
    private static final int MEASURE = 16_384;
    private static final int SETTLE_IN = 200;

    /** Float output of a fresh upsampler for an 8 kHz tone, long enough to measure. */
    private static float[] upsampledTone(double freqHz, Kernel kernel) {
        final float[] in = Signals.sine(SETTLE_IN + MEASURE / 2, freqHz, 8_000, AMPLITUDE);
        final float[] out = new float[2 * in.length];
        new HalfBandUpsampler(kernel).process(in, 0, in.length, out, 0);
        return out;
    }

    static Stream<Arguments> tonesForEveryKernel() {
        return Stream.of(Kernel.values()).flatMap(k -> DoubleStream
                .of(100, 300, 1000, 2000, 2500, 3000, 3220, 3300, 3400)
                .mapToObj(f -> Arguments.of(f, k)));
    }

    @ParameterizedTest(name = "{0} Hz, {1}")
    @MethodSource("tonesForEveryKernel")
    void rejectsImageOfTonesUpTo3400HzByAtLeast100Db(double freqHz, Kernel kernel) {
        final float[] out = upsampledTone(freqHz, kernel);
        final double tone = Signals.toneAmplitude(out, 2 * SETTLE_IN, MEASURE, freqHz, 16_000);
        final double image =
                Signals.toneAmplitude(out, 2 * SETTLE_IN, MEASURE, 8_000 - freqHz, 16_000);
        final double rejectionDb = Signals.db(tone / image);
        System.out.printf("upsampler image rejection %6.0f Hz -> %6.0f Hz: %.1f dB (%s)%n",
                freqHz, 8_000 - freqHz, rejectionDb, kernel);
        assertThat(rejectionDb).isGreaterThanOrEqualTo(100);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void passbandIsFlatWithin0p01DbUpTo3400Hz(Kernel kernel) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double f = 50; f <= 3_400; f += 50) {
            final float[] out = upsampledTone(f, kernel);
            final double gainDb =
                    Signals.db(Signals.toneAmplitude(out, 2 * SETTLE_IN, MEASURE, f, 16_000)
                            / AMPLITUDE);
            min = Math.min(min, gainDb);
            max = Math.max(max, gainDb);
        }
        System.out.printf("upsampler passband gain 50..3400 Hz: %+.6f..%+.6f dB,"
                + " ripple %.6f dB (%s)%n", min, max, max - min, kernel);
        assertThat(max - min).isLessThanOrEqualTo(0.01);
        assertThat(min).isGreaterThan(-0.005);
        assertThat(max).isLessThan(0.005);
    }

    @Test
    void groupDelayIsAtMost3ms() {
        System.out.printf("upsampler group delay %d samples at 16 kHz = %.3f ms%n",
                HalfBandUpsampler.delaySamples(), HalfBandUpsampler.delaySamples() / 16.0);
        assertThat(HalfBandUpsampler.delaySamples()).isEqualTo(47).isLessThanOrEqualTo(48);
    }

    @Test
    void impulseResponseIsSymmetricAboutTheDelayWithUnitCentreAndGainTwo() {
        final float[] in = new float[100];
        in[0] = 1;
        final float[] out = new float[200];
        new HalfBandUpsampler().process(in, 0, in.length, out, 0);
        final int d = HalfBandUpsampler.delaySamples();
        assertThat(out[d]).isEqualTo(1f);
        double sum = 0;
        for (int k = 1; k <= d; k++) {
            assertThat(out[d + k]).as("tap %d", k).isEqualTo(out[d - k]);
            // half-band: the other phase is the delayed input copy, zero except the centre
            if (k % 2 == 0) {
                assertThat(out[d + k]).isZero();
            }
            sum += 2 * out[d + k];
        }
        assertThat(out[0]).isNotZero();
        for (int k = 2 * d + 1; k < out.length; k++) {
            assertThat(out[k]).isZero();
        }
        assertThat(sum + 1).isCloseTo(2.0, within(1e-5));
    }

    @Test
    void constantInputComesOutUnchangedOnceFilled() {
        final short[] in = new short[400];
        Arrays.fill(in, (short) -1234);
        final short[] out = new short[800];
        new HalfBandUpsampler().process(in, 0, in.length, out, 0);
        for (int i = 2 * 48; i < out.length; i++) {
            assertThat(out[i]).as("sample %d", i).isEqualTo((short) -1234);
        }
        assertThat(out[0]).isNotEqualTo((short) -1234); // the filter starts from silence
    }

    static Stream<Arguments> framingsForEveryKernel() {
        return Stream.of(Kernel.values()).flatMap(k -> Stream
                .of("1", "2", "7", "8", "9", "159", "160", "161", "320", "321", "1000",
                        "7,1,0,500,3,160")
                .map(sizes -> Arguments.of(sizes, k)));
    }

    @ParameterizedTest(name = "frames {0}, {1}")
    @MethodSource("framingsForEveryKernel")
    void anyFramingGivesTheSameOutputAsOneCall(String sizes, Kernel kernel) {
        final short[] in = noiseAndSpeech(3_000);
        final short[] whole = new short[2 * in.length];
        new HalfBandUpsampler(kernel).process(in, 0, in.length, whole, 0);
        final float[] inF = Signals.toFloat(in);
        final float[] wholeF = new float[2 * in.length];
        new HalfBandUpsampler(kernel).process(inF, 0, inF.length, wholeF, 0);

        final int[] frames = Arrays.stream(sizes.split(",")).mapToInt(Integer::parseInt).toArray();
        final HalfBandUpsampler s = new HalfBandUpsampler(kernel);
        final HalfBandUpsampler f = new HalfBandUpsampler(kernel);
        final short[] split = new short[whole.length];
        final float[] splitF = new float[wholeF.length];
        for (int pos = 0, i = 0; pos < in.length; i++) {
            final int len = Math.min(frames[i % frames.length], in.length - pos);
            s.process(in, pos, len, split, 2 * pos);
            f.process(inF, pos, len, splitF, 2 * pos);
            pos += len;
        }
        assertThat(split).isEqualTo(whole);
        assertThat(splitF).isEqualTo(wholeF);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void shortOutputIsTheRoundedFloatOutput(Kernel kernel) {
        final short[] in = noiseAndSpeech(2_000);
        final short[] out = new short[2 * in.length];
        new HalfBandUpsampler(kernel).process(in, 0, in.length, out, 0);
        final float[] outF = new float[2 * in.length];
        new HalfBandUpsampler(kernel).process(Signals.toFloat(in), 0, in.length, outF, 0);
        for (int i = 0; i < out.length; i++) {
            final int expected = Math.max(-32768, Math.min(32767, Math.round(outF[i])));
            assertThat(out[i]).as("sample %d", i).isEqualTo((short) expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void kernelsDifferOnlyByFloatRounding(Kernel kernel) {
        final float[] in = Signals.toFloat(noiseAndSpeech(3_000));
        final float[] blocked = new float[2 * in.length];
        new HalfBandUpsampler(Kernel.BLOCKED).process(in, 0, in.length, blocked, 0);
        final float[] other = new float[2 * in.length];
        new HalfBandUpsampler(kernel).process(in, 0, in.length, other, 0);
        double worst = 0;
        for (int i = 0; i < blocked.length; i++) {
            worst = Math.max(worst, Math.abs(blocked[i] - other[i]));
        }
        assertThat(worst).isLessThan(0.01);
    }

    @Test
    void resetForgetsEarlierInput() {
        final short[] in = noiseAndSpeech(500);
        final HalfBandUpsampler used = new HalfBandUpsampler();
        used.process(in, 0, in.length, new short[2 * in.length], 0);
        used.reset();
        final short[] afterReset = new short[2 * in.length];
        used.process(in, 0, in.length, afterReset, 0);
        final short[] fresh = new short[2 * in.length];
        new HalfBandUpsampler().process(in, 0, in.length, fresh, 0);
        assertThat(afterReset).isEqualTo(fresh);
    }

    @Test
    void shortOutputSaturatesInsteadOfWrapping() {
        // A full-scale square wave overshoots (Gibbs) once band-limited.
        final short[] in = new short[800];
        for (int i = 0; i < in.length; i++) {
            in[i] = (i / 8) % 2 == 0 ? Short.MAX_VALUE : -Short.MAX_VALUE;
        }
        final float[] outF = new float[2 * in.length];
        new HalfBandUpsampler().process(Signals.toFloat(in), 0, in.length, outF, 0);
        final short[] out = new short[2 * in.length];
        new HalfBandUpsampler().process(in, 0, in.length, out, 0);
        int clippedHigh = 0;
        int clippedLow = 0;
        for (int i = 0; i < out.length; i++) {
            if (outF[i] > 32767.5f) {
                assertThat(out[i]).as("sample %d", i).isEqualTo(Short.MAX_VALUE);
                clippedHigh++;
            } else if (outF[i] < -32768.5f) {
                assertThat(out[i]).as("sample %d", i).isEqualTo(Short.MIN_VALUE);
                clippedLow++;
            }
        }
        assertThat(clippedHigh).isPositive();
        assertThat(clippedLow).isPositive();
    }

    @Test
    void rejectsRangesOutsideTheArrays() {
        final HalfBandUpsampler up = new HalfBandUpsampler();
        assertThatThrownBy(() -> up.process(new short[160], 0, 160, new short[319], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> up.process(new short[160], 1, 160, new short[320], 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> up.process(new float[160], 0, 160, new float[320], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kernel.class)
    void steadyStateProcessingDoesNotAllocate(Kernel kernel) {
        final HalfBandUpsampler up = new HalfBandUpsampler(kernel);
        final short[] in = noiseAndSpeech(160);
        final short[] out = new short[320];
        final float[] inF = Signals.toFloat(in);
        final float[] outF = new float[320];
        for (int i = 0; i < 20_000; i++) {
            up.process(in, 0, 160, out, 0);
            up.process(inF, 0, 160, outF, 0);
        }
        final long allocated = Allocation.measure(() -> {
            for (int i = 0; i < 10_000; i++) {
                up.process(in, 0, 160, out, 0);
                up.process(inF, 0, 160, outF, 0);
            }
        });
        assertThat(allocated).as("bytes for 20 000 calls").isLessThan(2_000);
    }

    /** The speech clip's start (with its silence) followed by loud noise. */
    static short[] noiseAndSpeech(int n) {
        final short[] speech = TestData.s16le("speech_8k_s16le.raw");
        final short[] x = new short[n];
        final Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            final long noise = Math.round(random.nextGaussian() * 8_000);
            x[i] = i < n / 2 ? speech[5_000 + i] : (short) Math.max(-32768, Math.min(32767, noise));
        }
        return x;
    }
}
