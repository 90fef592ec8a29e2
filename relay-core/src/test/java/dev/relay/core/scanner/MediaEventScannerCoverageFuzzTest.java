package dev.relay.core.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link MediaEventScanner}: for any frame, no exception
 * escapes, the verdict agrees with an independent JSON validator and with itself
 * ({@link MediaEventScannerFuzzTest#checkInvariants}), and the production path, a pooled direct
 * buffer, gives the same verdict and payload without moving or leaking the buffer (the class runs
 * under the PARANOID leak detector and {@code NoLeaksExtension}).
 *
 * <p>Maven runs it in the {@code fuzz} surefire execution ({@code JAZZER_FUZZ=1}, a JVM of its own), so
 * {@code mvn verify}, or {@code mvn test -Dtest=MediaEventScannerCoverageFuzzTest}, fuzzes it for {@code maxDuration};
 * run from an IDE without {@code JAZZER_FUZZ} it only replays the empty input and the files under
 * {@code MediaEventScannerCoverageFuzzTestInputs/} in its test resources, where Jazzer also writes any crashing input.
 * A longer session (10 minutes unless {@code -Dfuzz.seconds} says otherwise; the long-fuzz profile):
 * <pre>
 * mvn -pl relay-core test -Plong-fuzz -Dtest=MediaEventScannerCoverageFuzzTest
 * </pre>
 */
class MediaEventScannerCoverageFuzzTest {
    /** Small enough that fuzzed payloads also reach {@link MediaEventRejection#PAYLOAD_TOO_LARGE}. */
    private static final int DST_BYTES = 200;

    private final MediaEventScanner scanner = new MediaEventScanner(4096);
    private final byte[] dst = new byte[DST_BYTES];
    private final byte[] fromBuffer = new byte[DST_BYTES];

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"\"event\"", "\"media\"", "\"callId\"", "\"streamSid\"", "\"payload\"", "\"timestamp\"",
        "\"track\"", "\"inbound\"", "\"type\"", "\"Buffer\"", "\"data\"", "\"start\"", "\"stop\"", "\\u00",
        "\\\"", "null", "true", "255", "256", "1e3", "=="})
    @Timeout(120) // JUnit's limit for the whole session; Jazzer also uses it per input
    void scannerKeepsItsInvariantsOnAnyFrame(byte[] frame) {
        final MediaEventRejection verdict = MediaEventScannerFuzzTest.checkInvariants(scanner, frame, dst, 0);
        final int payloadLength = scanner.payloadLength();
        final long timestamp = scanner.timestamp();

        final ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length);
        try {
            direct.writeBytes(frame);
            assertThat(scanner.scan(direct, fromBuffer, 0)).isSameAs(verdict);
            assertThat(direct.readerIndex()).isZero();
            assertThat(direct.writerIndex()).isEqualTo(frame.length);
        } finally {
            direct.release();
        }
        assertThat(scanner.payloadLength()).isEqualTo(payloadLength);
        assertThat(scanner.timestamp()).isEqualTo(timestamp);
        assertThat(Arrays.equals(fromBuffer, 0, payloadLength, dst, 0, payloadLength)).isTrue();
    }
}
