package dev.relay.core.ingress;

import static dev.relay.core.ingress.AlohaaOutboundTest.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.TelephonyFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class EnvelopeOutboundTest {
    private static final String SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private static final byte[] SID_UTF8 = SID.getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 160, 8000})
    void writesMediaWithStandardPaddedBase64ThatTheScannerDecodes(int size) {
        final byte[] audio = new byte[size + 2];
        new Random(size).nextBytes(audio);
        final String json = written(out -> EnvelopeOutbound.writeMedia(out, SID_UTF8, audio, 2, size));
        final byte[] expected = Arrays.copyOfRange(audio, 2, 2 + size);

        assertThat(json).isEqualTo("{\"event\":\"media\",\"streamSid\":\"" + SID + "\",\"media\":{\"payload\":\""
                + Base64.getEncoder().encodeToString(expected) + "\"}}");
        final TelephonyFrames.Scanned s = TelephonyFrames.scanAllWays(json, size);
        assertThat(s.rejection()).isEqualTo(MediaEventRejection.NONE);
        assertThat(s.callId()).isEqualTo(SID);
        assertThat(s.payload()).isEqualTo(expected);
    }

    @Test
    void writesMarkWithAnEscapedName() {
        final byte[] name = "utt\"1\\".getBytes(StandardCharsets.UTF_8);
        assertThat(written(out -> EnvelopeOutbound.writeMark(out, SID_UTF8, name)))
                .isEqualTo("{\"event\":\"mark\",\"streamSid\":\"" + SID + "\",\"mark\":{\"name\":\"utt\\\"1\\\\\"}}");
    }

    @Test
    void writesClear() {
        assertThat(written(out -> EnvelopeOutbound.writeClear(out, SID_UTF8)))
                .isEqualTo("{\"event\":\"clear\",\"streamSid\":\"" + SID + "\"}");
    }

    @Test
    void maxAudioBytesPerMessageIsTightAndAMultipleOfThree() {
        for (int max : new int[] {1 << 20, 1001, 1002, 1003, 1004}) {
            final byte[] worstSid = new byte[34];
            Arrays.fill(worstSid, (byte) 0x1F);
            final int n = EnvelopeOutbound.maxAudioBytesPerMessage(max, worstSid.length);

            assertThat(n % 3).isZero();
            assertThat(mediaLength(worstSid, n)).isLessThanOrEqualTo(max);
            assertThat(mediaLength(worstSid, n + 1)).isGreaterThan(max - 4); // next quantum would not fit
            assertThat(mediaLength(worstSid, n + 3)).isGreaterThan(max);
        }
        assertThat(EnvelopeOutbound.maxAudioBytesPerMessage(40, 34)).isZero();
    }

    private static int mediaLength(byte[] sid, int audioBytes) {
        final ByteBuf out = Unpooled.buffer();
        try {
            EnvelopeOutbound.writeMedia(out, sid, new byte[audioBytes], 0, audioBytes);
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
