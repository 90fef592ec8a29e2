package dev.relay.codec.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link RtpHeader#wrap}: any bytes at all give an
 * {@link RtpRejection} (never an exception), and an accepted packet's every accessor reads inside
 * the packet, with the payload and padding ending exactly at its end.
 *
 * <p>Maven runs it in the {@code fuzz} surefire execution ({@code JAZZER_FUZZ=1}, a JVM of its own), so
 * {@code mvn verify}, or {@code mvn test -Dtest=RtpHeaderCoverageFuzzTest}, fuzzes it for {@code maxDuration};
 * run from an IDE without {@code JAZZER_FUZZ} it only replays the empty input and the files under
 * {@code RtpHeaderCoverageFuzzTestInputs/} in its test resources, where Jazzer also writes any crashing input.
 * A longer session (10 minutes unless {@code -Dfuzz.seconds} says otherwise; the long-fuzz profile):
 * <pre>
 * mvn -pl relay-codec test -Plong-fuzz -Dtest=RtpHeaderCoverageFuzzTest
 * </pre>
 */
class RtpHeaderCoverageFuzzTest {
    /** Bytes on each side of the packet in the second wrap; 0xFF so that stray reads change fields. */
    private static final int MARGIN = 7;

    private final RtpHeader exact = new RtpHeader();
    private final RtpHeader framed = new RtpHeader();

    @FuzzTest(maxDuration = "10s")
    @Timeout(120) // JUnit's limit for the whole session; Jazzer also uses it per input
    void wrapOnlyRejectsAndAnAcceptedPacketIsReadInsideItsBounds(byte[] packet) {
        // An array exactly the packet's size: any read past either end throws.
        final RtpRejection verdict = exact.wrap(packet, 0, packet.length);
        final byte[] padded = new byte[packet.length + 2 * MARGIN];
        Arrays.fill(padded, (byte) 0xFF);
        System.arraycopy(packet, 0, padded, MARGIN, packet.length);

        assertThat(verdict).isNotNull();
        assertThat(framed.wrap(padded, MARGIN, packet.length)).isSameAs(verdict);
        assertThat(exact.isValid()).isEqualTo(verdict == RtpRejection.NONE);
        if (verdict == RtpRejection.NONE) {
            checkAccepted(exact, 0, packet.length);
            checkAccepted(framed, MARGIN, packet.length);
            assertThat(framed.payloadOffset() - MARGIN).isEqualTo(exact.payloadOffset());
            assertThat(framed.payloadLength()).isEqualTo(exact.payloadLength());
            assertThat(framed.ssrc()).isEqualTo(exact.ssrc());
            assertThat(framed.extensionLengthBytes()).isEqualTo(exact.extensionLengthBytes());
        }
    }

    private static void checkAccepted(RtpHeader h, int offset, int length) {
        final int end = offset + length;
        assertThat(h.version()).isEqualTo(RtpHeader.VERSION);
        assertThat(h.csrcCount()).isBetween(0, 15);
        for (int i = 0; i < h.csrcCount(); i++) {
            assertThat(h.csrc(i)).isBetween(0L, 0xFFFF_FFFFL);
        }
        assertThat(h.payloadType()).isBetween(0, 127);
        assertThat(h.sequence()).isBetween(0, 0xFFFF);
        assertThat(h.timestamp()).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(h.ssrc()).isBetween(0L, 0xFFFF_FFFFL);
        h.marker();
        final int headerEnd = offset + RtpHeader.FIXED_HEADER_LENGTH + RtpHeader.CSRC_LENGTH * h.csrcCount();
        if (h.extension()) {
            assertThat(h.extensionProfile()).isBetween(0, 0xFFFF);
            assertThat(h.extensionBodyOffset()).isEqualTo(headerEnd + RtpHeader.EXTENSION_HEADER_LENGTH);
            assertThat(h.extensionBodyOffset() + h.extensionLengthBytes()).isEqualTo(h.payloadOffset());
        } else {
            assertThat(h.extensionProfile()).isEqualTo(-1);
            assertThat(h.extensionLengthBytes()).isZero();
            assertThat(h.extensionBodyOffset()).isEqualTo(-1);
            assertThat(h.payloadOffset()).isEqualTo(headerEnd);
        }
        assertThat(h.payloadLength()).isPositive();
        assertThat(h.paddingLength() > 0).isEqualTo(h.padding());
        assertThat(h.payloadOffset() + h.payloadLength()).isLessThanOrEqualTo(end);
        assertThat(h.payloadOffset() + h.payloadLength() + h.paddingLength()).isEqualTo(end);
    }
}
