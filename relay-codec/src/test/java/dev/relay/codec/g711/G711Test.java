package dev.relay.codec.g711;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class G711Test {

    @Test
    void mapsStaticRtpPayloadTypes() {
        assertThat(G711.forRtpPayloadType(0)).isEqualTo(G711.MU_LAW);
        assertThat(G711.forRtpPayloadType(8)).isEqualTo(G711.A_LAW);
        assertThat(G711.MU_LAW.rtpPayloadType()).isZero();
        assertThat(G711.A_LAW.rtpPayloadType()).isEqualTo(8);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1, 3, 9, 13, 101, 127})
    void hasNoLawForOtherPayloadTypes(int payloadType) {
        assertThat(G711.forRtpPayloadType(payloadType)).isNull();
    }

    @ParameterizedTest
    @EnumSource(G711.class)
    void delegatesToItsLaw(G711 law) {
        boolean mu = law == G711.MU_LAW;
        byte[] codes = new byte[256];
        for (int i = 0; i < 256; i++) {
            codes[i] = (byte) i;
        }
        short[] pcm = new short[256];
        float[] floats = new float[256];
        law.decode(codes, 0, pcm, 0, 256);
        law.decode(codes, 0, floats, 0, 256);
        byte[] back = new byte[256];
        law.encode(pcm, 0, back, 0, 256);
        for (int i = 0; i < 256; i++) {
            byte code = (byte) i;
            short expected = mu ? MuLaw.decode(code) : ALaw.decode(code);
            assertThat(law.decode(code)).isEqualTo(expected);
            assertThat(pcm[i]).isEqualTo(expected);
            assertThat(floats[i]).isEqualTo(expected);
            assertThat(back[i]).isEqualTo(mu ? MuLaw.encode(expected) : ALaw.encode(expected));
            assertThat(law.encode(expected)).isEqualTo(back[i]);
        }
        assertThat(law.silence()).isEqualTo(mu ? MuLaw.SILENCE : ALaw.SILENCE);
    }
}
