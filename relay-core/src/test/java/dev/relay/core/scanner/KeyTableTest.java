package dev.relay.core.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class KeyTableTest {
    private static final String[] NAMES = {
        "event", "callId", "streamSid", "payload", "timestamp", "media", "track", "type", "data"};
    private static final KeyTable TABLE = new KeyTable(NAMES);

    @Test
    void findsEveryNameWhereverItSitsInTheArray() {
        for (int k = 0; k < NAMES.length; k++) {
            final byte[] name = NAMES[k].getBytes(StandardCharsets.US_ASCII);
            for (int before = 0; before < 3; before++) {
                for (int after = 0; after < 10; after++) { // after < 8: the word compare would read past the end
                    final byte[] b = new byte[before + name.length + after];
                    Arrays.fill(b, (byte) 'x');
                    System.arraycopy(name, 0, b, before, name.length);

                    assertThat(TABLE.find(b, before, before + name.length)).as("%s +%d", NAMES[k], after).isEqualTo(k);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "e", "even", "eventt", "Event", "evenT", "timestamq", "streamSie", "typo", "dat",
        "\u00e9vent", "callid", "medium", "trackx", "payloa\u00ff", "xxxxxxxxxxxxxxxxxxxxx"})
    void rejectsNearMissesAndOtherStrings(String s) {
        final byte[] b = (s + "\":").getBytes(StandardCharsets.ISO_8859_1);

        assertThat(TABLE.find(b, 0, s.length())).isEqualTo(KeyTable.UNKNOWN);
    }

    @Test
    void refusesNamesItCannotTellApartByLengthAndFirstByte() {
        assertThatThrownBy(() -> new KeyTable("ab", "ab")).isInstanceOf(IllegalArgumentException.class);
    }
}
