package dev.relay.codec.g711;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.testing.TestData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MuLawTest {

    @Test
    void decodesAll256CodesLikeTheG191Table() {
        short[] reference = TestData.s16le("ulaw_decode_table_s16le.bin");
        assertThat(reference).hasSize(256);
        for (int code = 0; code < 256; code++) {
            assertThat(MuLaw.decode((byte) code)).as("code 0x%02X", code).isEqualTo(reference[code]);
        }
    }

    @ParameterizedTest
    @CsvSource({"0x00, -32124", "0x80, 32124", "0x7F, 0", "0xFF, 0", "0x7E, -8", "0xFE, 8", "0x70, -120"})
    void decodesKnownCodes(String code, short expected) {
        assertThat(MuLaw.decode((byte) Integer.decode(code).intValue())).isEqualTo(expected);
    }

    @Test
    void encodesEveryPcm16ValueBitExactWithG191() {
        byte[] reference = TestData.bytes("ulaw_encode_g191.bin");
        assertThat(reference).hasSize(65536);
        int mismatches = 0;
        for (int k = 0; k < 65536; k++) {
            if (MuLaw.encode(k - 32768) != reference[k]) {
                mismatches++;
            }
        }
        assertThat(mismatches).isZero();
    }

    @Test
    void bulkEncodeMatchesG191ForEveryPcm16Value() {
        short[] all = new short[65536];
        for (int k = 0; k < all.length; k++) {
            all[k] = (short) (k - 32768);
        }
        byte[] out = new byte[65536];
        MuLaw.encode(all, 0, out, 0, all.length);
        assertThat(out).isEqualTo(TestData.bytes("ulaw_encode_g191.bin"));
    }

    /** Guards the reading of the reference files: sox rounds differently on 510 inputs. */
    @Test
    void differsFromSoxOnlyOnTheDocumented510DecisionLevels() {
        byte[] sox = TestData.bytes("ulaw_encode_sox.bin");
        int differences = 0;
        for (int k = 0; k < 65536; k++) {
            byte ours = MuLaw.encode(k - 32768);
            if (ours != sox[k]) {
                differences++;
                assertThat(Math.abs(level(ours) - level(sox[k]))).as("input %d", k - 32768).isEqualTo(1);
            }
        }
        assertThat(differences).isEqualTo(510);
    }

    @Test
    void roundTripsEveryCodeExceptNegativeZero() {
        for (int code = 0; code < 256; code++) {
            byte expected = code == 0x7F ? (byte) 0xFF : (byte) code;
            assertThat(MuLaw.encode(MuLaw.decode((byte) code))).as("code 0x%02X", code).isEqualTo(expected);
        }
    }

    @Test
    void silenceDecodesToZero() {
        assertThat(MuLaw.decode(MuLaw.SILENCE)).isZero();
        assertThat(MuLaw.encode(0)).isEqualTo(MuLaw.SILENCE);
    }

    @ParameterizedTest
    @CsvSource({"40000", "-40000", "65535", "65536", "2147483647", "-2147483648"})
    void encodeUsesOnlyTheLow16Bits(int pcm) {
        assertThat(MuLaw.encode(pcm)).isEqualTo(MuLaw.encode((short) pcm));
    }

    @Test
    void decodesSpeechClipLikeSox() {
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        short[] expected = TestData.s16le("speech_8k_s16le.raw");
        short[] out = new short[ulaw.length];
        MuLaw.decode(ulaw, 0, out, 0, ulaw.length);
        assertThat(out).isEqualTo(expected);
    }

    @Test
    void bulkMethodsHonourOffsetsAndLeaveTheRestUntouched() {
        byte[] codes = new byte[256];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = (byte) i;
        }
        short[] pcm = new short[300];
        Arrays.fill(pcm, (short) 12345);
        MuLaw.decode(codes, 100, pcm, 7, 50);
        for (int i = 0; i < pcm.length; i++) {
            short expected = i >= 7 && i < 57 ? MuLaw.decode((byte) (100 + i - 7)) : 12345;
            assertThat(pcm[i]).as("pcm[%d]", i).isEqualTo(expected);
        }

        float[] floats = new float[300];
        Arrays.fill(floats, -1f);
        MuLaw.decode(codes, 100, floats, 7, 50);
        for (int i = 0; i < floats.length; i++) {
            assertThat(floats[i]).as("floats[%d]", i).isEqualTo(i >= 7 && i < 57 ? pcm[i] : -1f);
        }

        byte[] encoded = new byte[80];
        Arrays.fill(encoded, (byte) 0x11);
        MuLaw.encode(pcm, 7, encoded, 3, 50);
        for (int i = 0; i < encoded.length; i++) {
            int code = 100 + i - 3;
            byte expected = i >= 3 && i < 53 ? (byte) (code == 0x7F ? 0xFF : code) : 0x11;
            assertThat(encoded[i]).as("encoded[%d]", i).isEqualTo(expected);
        }
    }

    @Test
    void zeroLengthBulkCallsAreNoOps() {
        short[] pcm = {5};
        MuLaw.decode(new byte[0], 0, pcm, 1, 0);
        MuLaw.encode(pcm, 1, new byte[0], 0, 0);
        assertThat(pcm).containsExactly(5);
    }

    @Test
    void bulkMethodsRejectRangesThatDoNotFitBeforeWriting() {
        short[] pcm = new short[10];
        Arrays.fill(pcm, (short) 7);
        assertThatThrownBy(() -> MuLaw.decode(new byte[20], 15, pcm, 0, 6))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MuLaw.decode(new byte[20], 0, pcm, 5, 6))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MuLaw.decode(new byte[20], 0, new float[4], 0, -1))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> MuLaw.encode(pcm, 0, new byte[4], 0, 5))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(pcm).containsOnly((short) 7);
    }

    /** Signed position of a code on the quantiser's scale (−128..127), to measure code steps. */
    private static int level(byte code) {
        int b = ~code & 0xFF;
        int magnitude = b & 0x7F;
        return (b & 0x80) != 0 ? -magnitude - 1 : magnitude;
    }
}
