package dev.relay.core.ingress;

import static dev.relay.core.ingress.AlohaaOutboundTest.written;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.TelephonyFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class EnvelopePlaybackTest {
    private static final String SID = "MZ18ad3ab5a668481ce02b83e7395059f0";
    private final MediaStreamsWriter envelope = new MediaStreamsWriter(SID, EnvelopeProtocol.PLAYER);

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 160, 8000})
    void writesMediaWithStandardPaddedBase64ThatTheScannerDecodes(int size) {
        final byte[] audio = new byte[size + 2];
        new Random(size).nextBytes(audio);
        final String json = written(out -> envelope.playMedia(out, audio, 2, size));
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
        assertThat(written(out -> envelope.playMark(out, "utt\"1\\")))
                .isEqualTo("{\"event\":\"mark\",\"streamSid\":\"" + SID + "\",\"mark\":{\"name\":\"utt\\\"1\\\\\"}}");
    }

    @Test
    void writesClear() {
        assertThat(written(envelope::clear))
                .isEqualTo("{\"event\":\"clear\",\"streamSid\":\"" + SID + "\"}");
    }

    /** The bytes telephony peers have always received (captured from the ingress writer before the fold). */
    @Test
    void writesTheBytesPeersHaveAlwaysReceived() {
        final byte[] audio = {0, 37, 74, 111, (byte) 148};
        assertThat(written(out -> envelope.playMedia(out, audio, 0, audio.length))).isEqualTo("{\"event\":\"media\","
                + "\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\",\"media\":{\"payload\":\"ACVKb5Q=\"}}");
        assertThat(written(out -> envelope.playMark(out, "relay-1"))).isEqualTo("{\"event\":\"mark\","
                + "\"streamSid\":\"MZ18ad3ab5a668481ce02b83e7395059f0\",\"mark\":{\"name\":\"relay-1\"}}");
    }

    @Test
    void maxAudioBytesPerMessageIsTightAndAMultipleOfThree() {
        for (int max : new int[] {1 << 20, 1001, 1002, 1003, 1004}) {
            final String worstSid = "\u001f".repeat(34);
            final int n = new MediaStreamsWriter(worstSid, EnvelopeProtocol.PLAYER).maxPlayBytesPerMessage(max);

            assertThat(n % 3).isZero();
            assertThat(mediaLength(worstSid, n)).isLessThanOrEqualTo(max);
            assertThat(mediaLength(worstSid, n + 1)).isGreaterThan(max - 4); // next quantum would not fit
            assertThat(mediaLength(worstSid, n + 3)).isGreaterThan(max);
        }
        assertThat(new MediaStreamsWriter("x".repeat(34), EnvelopeProtocol.PLAYER).maxPlayBytesPerMessage(40))
                .isZero();
    }

    private static int mediaLength(String sid, int audioBytes) {
        final MediaStreamsWriter writer = new MediaStreamsWriter(sid, EnvelopeProtocol.PLAYER);
        final ByteBuf out = Unpooled.buffer();
        try {
            writer.playMedia(out, new byte[audioBytes], 0, audioBytes);
            assertThat(out.readableBytes()).isEqualTo(writer.playMediaLength(audioBytes));
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
