package dev.relay.codec.g711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ALawTest {

    @ParameterizedTest
    @CsvSource({
        "0xD5, 8", "0x55, -8", "0xAA, 32256", "0x2A, -32256",
        "0xD4, 24", "0xC5, 264", "0xC4, 280", "0xFA, 1008", "0x80, 5504"
    })
    void decodesKnownCodes(String code, short expected) {
        assertThat(ALaw.decode((byte) Integer.decode(code).intValue())).isEqualTo(expected);
    }

    /** G.711 Table 1a: 13-bit decoder output values, here ×8 (left-justified in 16 bits). */
    @Test
    void decodesAll256CodesToTable1aValuesTimesEight() {
        for (int code = 0; code < 256; code++) {
            int b = (code ^ 0x55) & 0x7F;
            int segment = b >> 4;
            int step = b & 15;
            int value13 = segment == 0 ? 2 * step + 1 : (2 * step + 33) << (segment - 1);
            int expected = (code & 0x80) != 0 ? 8 * value13 : -8 * value13;
            assertThat(ALaw.decode((byte) code)).as("code 0x%02X", code).isEqualTo((short) expected);
        }
    }

    @Test
    void decodeIsOddSymmetricInTheSignBit() {
        for (int code = 0; code < 128; code++) {
            assertThat(ALaw.decode((byte) code)).isEqualTo((short) -ALaw.decode((byte) (code | 0x80)));
        }
    }

    @Test
    void decodeIncreasesStrictlyAcrossSegmentsOnceEvenBitsAreUninverted() {
        int previous = 0;
        for (int level = 0; level < 128; level++) {
            int value = ALaw.decode((byte) ((level ^ 0x55) | 0x80));
            assertThat(value).as("level %d", level).isGreaterThan(previous);
            previous = value;
        }
    }

    @Test
    void roundTripsAll256Codes() {
        for (int code = 0; code < 256; code++) {
            assertThat(ALaw.encode(ALaw.decode((byte) code))).as("code 0x%02X", code).isEqualTo((byte) code);
        }
    }

    /**
     * For every input, the chosen code's reconstruction lies within half a quantiser step, and the
     * code's level never decreases as the input grows: together they pin down the decision levels.
     */
    @Test
    void encodesEveryPcm16ValueToItsDecisionInterval() {
        int previousLevel = Integer.MIN_VALUE;
        for (int pcm = -32768; pcm <= 32767; pcm++) {
            byte code = ALaw.encode(pcm);
            int b = (code ^ 0x55) & 0x7F;
            int segment = b >> 4;
            int step16 = segment <= 1 ? 16 : 16 << (segment - 1);
            assertThat(Math.abs(pcm - ALaw.decode(code))).as("pcm %d", pcm).isLessThanOrEqualTo(step16 / 2);
            int level = (code & 0x80) != 0 ? b : -b - 1;
            assertThat(level).as("pcm %d", pcm).isGreaterThanOrEqualTo(previousLevel);
            previousLevel = level;
        }
    }

    @Test
    void bulkEncodeMatchesScalarEncodeForEveryPcm16Value() {
        short[] all = new short[65536];
        for (int k = 0; k < all.length; k++) {
            all[k] = (short) (k - 32768);
        }
        byte[] out = new byte[65536];
        ALaw.encode(all, 0, out, 0, all.length);
        for (int k = 0; k < all.length; k++) {
            assertThat(out[k]).isEqualTo(ALaw.encode(k - 32768));
        }
    }

    @Test
    void silenceIsTheSmallestPositiveStep() {
        assertThat(ALaw.decode(ALaw.SILENCE)).isEqualTo((short) 8);
        assertThat(ALaw.encode(0)).isEqualTo(ALaw.SILENCE);
        assertThat(ALaw.encode(-1)).isEqualTo((byte) 0x55);
    }

    @ParameterizedTest
    @CsvSource({"40000", "-40000", "65535", "2147483647", "-2147483648"})
    void encodeUsesOnlyTheLow16Bits(int pcm) {
        assertThat(ALaw.encode(pcm)).isEqualTo(ALaw.encode((short) pcm));
    }

    @Test
    void bulkMethodsHonourOffsetsAndLeaveTheRestUntouched() {
        byte[] codes = new byte[256];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) i;
        }
        short[] pcm = new short[300];
        Arrays.fill(pcm, (short) 12345);
        ALaw.decode(codes, 200, pcm, 9, 56);
        float[] floats = new float[300];
        Arrays.fill(floats, -1f);
        ALaw.decode(codes, 200, floats, 9, 56);
        for (int i = 0; i < pcm.length; i++) {
            boolean inside = i >= 9 && i < 65;
            assertThat(pcm[i]).as("pcm[%d]", i).isEqualTo(inside ? ALaw.decode((byte) (200 + i - 9)) : 12345);
            assertThat(floats[i]).as("floats[%d]", i).isEqualTo(inside ? pcm[i] : -1f);
        }
        byte[] encoded = new byte[70];
        Arrays.fill(encoded, (byte) 0x11);
        ALaw.encode(pcm, 9, encoded, 1, 56);
        for (int i = 0; i < encoded.length; i++) {
            byte expected = i >= 1 && i < 57 ? (byte) (200 + i - 1) : 0x11;
            assertThat(encoded[i]).as("encoded[%d]", i).isEqualTo(expected);
        }
    }

    @Test
    void bulkMethodsRejectRangesThatDoNotFit() {
        assertThatThrownBy(() -> ALaw.decode(new byte[4], 1, new short[4], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ALaw.decode(new byte[4], 0, new float[3], 0, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ALaw.encode(new short[4], 0, new byte[4], 1, 4))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
