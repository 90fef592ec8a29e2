package dev.relay.codec.transcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.Decimator;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PCM16 → μ-law 8 kHz: the definition (one filter call over the padded segment), for any split. */
class Pcm16ToUlaw8kTest {
    private static final double AMPLITUDE = 12000;

    private static short[] speechLike(int samples, int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        short[] s = new short[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = (short) (9000 * Math.sin(i * 0.07) + 4000 * Math.sin(i * 0.9) + random.nextInt(-500, 500));
        }
        return s;
    }

    private static byte[] bytes(short[] pcm, boolean bigEndian) {
        byte[] b = new byte[pcm.length * 2];
        for (int i = 0; i < pcm.length; i++) {
            b[2 * i + (bigEndian ? 0 : 1)] = (byte) (pcm[i] >> 8);
            b[2 * i + (bigEndian ? 1 : 0)] = (byte) pcm[i];
        }
        return b;
    }

    /** The definition: the segment and (D+1)·M zeros through one decimator call, the first D outputs dropped. */
    private static byte[] reference(short[] pcm, int rateHz) {
        byte[] ulaw;
        if (rateHz == 8000) {
            ulaw = new byte[pcm.length];
            for (int i = 0; i < pcm.length; i++) {
                ulaw[i] = MuLaw.encode(pcm[i]);
            }
            return ulaw;
        }
        Decimator d = Decimator.to8k(rateHz);
        int m = d.factor();
        short[] padded = Arrays.copyOf(pcm, pcm.length + (d.delaySamples() + 1) * m);
        short[] out = new short[d.outputLength(padded.length)];
        d.process(padded, 0, padded.length, out, 0);
        ulaw = new byte[(pcm.length + m - 1) / m];
        MuLaw.encode(out, d.delaySamples(), ulaw, 0, ulaw.length);
        return ulaw;
    }

    @ParameterizedTest
    @CsvSource({"8000,true", "16000,true", "16000,false", "24000,false", "48000,true", "48000,false"})
    void anySplitOfTwoSegmentsGivesEachSegmentsDefinition(int rateHz, boolean bigEndian) {
        short[] first = speechLike(rateHz / 4 + 1, 1);
        short[] second = speechLike(rateHz / 7, 2);
        byte[] expected = concat(reference(first, rateHz), reference(second, rateHz));
        for (int messageBytes : new int[] {1, 3, 320, 641, 1280, 5000, 1 << 20}) {
            Pcm16ToUlaw8k transcoder = new Pcm16ToUlaw8k(rateHz, bigEndian);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            for (short[] segment : new short[][] {first, second}) {
                byte[] b = bytes(segment, bigEndian);
                for (int off = 0; off < b.length; off += messageBytes) {
                    transcoder.convert(b, off, Math.min(messageBytes, b.length - off), got::write);
                }
                transcoder.endSegment(got::write);
            }
            assertThat(got.toByteArray()).as("%d-byte messages", messageBytes).isEqualTo(expected);
        }
        assertThat(Pcm16ToUlaw8k.clip(bytes(first, bigEndian), 0, first.length * 2, rateHz, bigEndian))
                .isEqualTo(reference(first, rateHz));
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void aClipGivesOneByteForEveryMInputSamplesStartedAndIgnoresAnOddByte(int rateHz) {
        int m = rateHz / 8000;
        for (int samples = 0; samples < 40; samples++) {
            byte[] b = bytes(speechLike(samples, samples), false);
            byte[] odd = Arrays.copyOf(b, b.length + 1);
            odd[b.length] = 0x55;
            assertThat(Pcm16ToUlaw8k.clip(odd, 0, odd.length, rateHz, false))
                    .hasSize((samples + m - 1) / m)
                    .isEqualTo(Pcm16ToUlaw8k.clip(b, 0, b.length, rateHz, false));
        }
    }

    /**
     * A 1 kHz tone at the input rate comes out as the same tone sampled at 8 kHz with no delay: a
     * one-sample misalignment would cost 45° of phase and the SNR would fall to a few dB.
     */
    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void toneComesOutTimeAligned(int rateHz) {
        short[] tone = new short[rateHz + 5];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * 1000.0 * i / rateHz));
        }
        byte[] ulaw = Pcm16ToUlaw8k.clip(bytes(tone, true), 0, tone.length * 2, rateHz, true);
        double signal = 0;
        double noise = 0;
        for (int k = 80; k < ulaw.length - 80; k++) { // 10 ms off each end, where the filter sees the edges
            double ref = AMPLITUDE * Math.sin(2 * Math.PI * 1000.0 * k / 8000);
            double e = MuLaw.decode(ulaw[k]) - ref;
            signal += ref * ref;
            noise += e * e;
        }
        assertThat(10 * Math.log10(signal / noise)).as("SNR at %d Hz", rateHz).isGreaterThan(35);
    }

    @ParameterizedTest
    @ValueSource(ints = {7, 640})
    void resetForgetsAHalfSentSegment(int messageBytes) {
        Pcm16ToUlaw8k transcoder = new Pcm16ToUlaw8k(16000, true);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] dropped = bytes(speechLike(999, 3), true);
        transcoder.convert(dropped, 0, dropped.length - 1, (b, o, n) -> { });
        transcoder.reset();
        short[] kept = speechLike(1600, 4);
        byte[] b = bytes(kept, true);
        for (int off = 0; off < b.length; off += messageBytes) {
            transcoder.convert(b, off, Math.min(messageBytes, b.length - off), got::write);
        }
        transcoder.endSegment(got::write);
        assertThat(got.toByteArray()).isEqualTo(reference(kept, 16000));
    }

    @Test
    void refusesRatesItCannotReach() {
        assertThatThrownBy(() -> new Pcm16ToUlaw8k(44100, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pcm16ToUlaw8k.clip(new byte[4], 2, 4, 16000, true))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
