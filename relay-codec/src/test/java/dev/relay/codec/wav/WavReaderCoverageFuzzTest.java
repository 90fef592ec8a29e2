package dev.relay.codec.wav;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link WavReader#read}: for any bytes it returns a header
 * whose data slice lies inside the input, or throws {@link WavFormatException}; nothing else
 * ({@link WavReaderFuzzTest#checkInvariants}).
 *
 * <p>Maven runs it in the {@code fuzz} surefire execution ({@code JAZZER_FUZZ=1}, a JVM of its own), so
 * {@code mvn verify}, or {@code mvn test -Dtest=WavReaderCoverageFuzzTest}, fuzzes it for {@code maxDuration};
 * run from an IDE without {@code JAZZER_FUZZ} it only replays the empty input and the files under
 * {@code WavReaderCoverageFuzzTestInputs/} in its test resources, where Jazzer also writes any crashing input.
 * A longer session (10 minutes unless {@code -Dfuzz.seconds} says otherwise; the long-fuzz profile):
 * <pre>
 * mvn -pl relay-codec test -Plong-fuzz -Dtest=WavReaderCoverageFuzzTest
 * </pre>
 */
class WavReaderCoverageFuzzTest {
    @FuzzTest(maxDuration = "10s")
    // Chunk ids, fmt size 16, the PCM and μ-law tags: values the walk and the fmt checks branch on. Only
    // ASCII below 0x1C: Jazzer writes entries as UTF-8 and leaves 0x1C-0x1F raw, which libFuzzer rejects.
    @DictionaryEntries({"RIFF", "WAVE", "RIFX", "RF64", "fmt ", "data", "fact", "LIST",
        "\u0010\u0000\u0000\u0000", "\u0001\u0000", "\u0007\u0000"})
    @Timeout(120) // JUnit's limit for the whole session; Jazzer also uses it per input
    void readReturnsAHeaderInsideTheInputOrThrowsWavFormatException(byte[] input) {
        WavReaderFuzzTest.checkInvariants(input);
    }
}
