package dev.relay.core.control.audio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pushed-audio transcoding: time alignment, length, byte orders, formats. */
class ControlTranscoderTest {
    /** A PCM16 body is one segment of relay-codec's transcoding, whatever its rate and byte order. */
    @ParameterizedTest
    @ValueSource(ints = {8000, 16000, 24000, 48000})
    void pcmBodyIsOneSegmentOfTheCodecsTranscoding(int rateHz) throws Exception {
        byte[] le = new byte[2 * (rateHz / 10 + 5)];
        for (int i = 0; i < le.length; i++) {
            le[i] = (byte) (i * 31 + i / 7);
        }
        byte[] ulaw = PushedAudio.parse("audio/l16;rate=" + rateHz + ";endianness=little", le).toUlaw();
        assertThat(ulaw).isEqualTo(Pcm16ToUlaw8k.clip(le, 0, le.length, rateHz, false));
        int m = rateHz / 8000;
        assertThat(ulaw).hasSize((le.length / 2 + m - 1) / m);
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
        byte[] fromBe = PushedAudio.parse("audio/l16;rate=16000", be).toUlaw();
        byte[] fromLe = PushedAudio.parse("audio/L16; rate=\"16000\"; endianness=LITTLE", le).toUlaw();
        assertThat(fromBe).isEqualTo(fromLe).hasSize(800);
    }

    @Test
    void ulawIsCopiedNotShared() throws Exception {
        byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] out = PushedAudio.parse("audio/pcmu", body).toUlaw();
        assertThat(out).isEqualTo(body).isNotSameAs(body);
        assertThat(PushedAudio.ulawDurationMs(8000)).isEqualTo(1000);
        assertThat(PushedAudio.ulawDurationMs(7)).isZero();
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
