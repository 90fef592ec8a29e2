package dev.relay.core.control.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.g711.MuLaw;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pushed-audio transcoding: time alignment, length, byte orders, formats. */
class ControlTranscoderTest {
    private static final double AMPLITUDE = 12000;

    /**
     * A 1 kHz tone at the input rate comes out as the same tone sampled at 8 kHz with no delay:
     * a one-sample misalignment would cost 45° of phase and the SNR would fall to a few dB.
     */
    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void toneComesOutTimeAlignedAtFullLength(int rateHz) throws Exception {
        int n = rateHz + 5; // one second and a partial output sample
        byte[] le = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            short s = (short) Math.round(AMPLITUDE * Math.sin(2 * Math.PI * 1000.0 * i / rateHz));
            le[2 * i] = (byte) s;
            le[2 * i + 1] = (byte) (s >> 8);
        }
        byte[] ulaw = UlawTranscoder.toUlaw(PushedAudio.parse("audio/l16;rate=" + rateHz + ";endianness=little", le));
        int m = rateHz / 8000;
        assertThat(ulaw).hasSize((n + m - 1) / m);
        double signal = 0;
        double noise = 0;
        // Skip 10 ms at each end, where the filter sees the clip's edges.
        for (int k = 80; k < ulaw.length - 80; k++) {
            double ref = AMPLITUDE * Math.sin(2 * Math.PI * 1000.0 * k / 8000);
            double e = MuLaw.decode(ulaw[k]) - ref;
            signal += ref * ref;
            noise += e * e;
        }
        double snrDb = 10 * Math.log10(signal / noise);
        // μ-law alone allows about 38 dB on this tone; the decimator adds almost nothing.
        assertThat(snrDb).as("SNR at %d Hz", rateHz).isGreaterThan(35);
    }

    @Test
    void bigAndLittleEndianL16GiveTheSameAudio() throws Exception {
        byte[] be = new byte[3200];
        byte[] le = new byte[3200];
        for (int i = 0; i < 1600; i++) {
            short s = (short) (i * 37 - 20000);
            be[2 * i] = (byte) (s >> 8);
            be[2 * i + 1] = (byte) s;
            le[2 * i] = (byte) s;
            le[2 * i + 1] = (byte) (s >> 8);
        }
        byte[] fromBe = UlawTranscoder.toUlaw(PushedAudio.parse("audio/l16;rate=16000", be));
        byte[] fromLe = UlawTranscoder.toUlaw(PushedAudio.parse("audio/L16; rate=\"16000\"; endianness=LITTLE", le));
        assertThat(fromBe).isEqualTo(fromLe).hasSize(800);
    }

    @Test
    void ulawIsCopiedNotShared() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] out = UlawTranscoder.toUlaw(PushedAudio.parse("audio/pcmu", body));
        assertThat(out).isEqualTo(body).isNotSameAs(body);
        assertThat(UlawTranscoder.durationMs(8000)).isEqualTo(1000);
        assertThat(UlawTranscoder.durationMs(7)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"audio/l16;rate=16000;channels=2", "audio/l16;rate=x", "video/mp4", " ",
            "audio/wav;channels=2"})
    void refusesWhatItCannotPlay(String type) {
        try {
            PushedAudio.parse(type, new byte[4]);
            throw new AssertionError("accepted " + type);
        } catch (AudioRejected e) {
            assertThat(e.status()).isEqualTo(415);
            assertThat(e.code()).isEqualTo("unsupported_audio");
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
