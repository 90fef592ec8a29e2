package dev.relay.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** SPEC §3: a key under relay. the relay does not read is a config error naming the nearest known key. */
class KnownKeysTest {

    private static RelayConfig fromFile(Path dir, String hocon) throws Exception {
        Path file = dir.resolve("relay.conf");
        Files.writeString(file, hocon);
        return RelayConfig.load(file, Map.of());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay.telephny.port = 1 | relay.telephny.port | relay.telephony.port",
        "relay.telephony.idle-timout = 1s | relay.telephony.idle-timout | relay.telephony.idle-timeout",
        "relay.sinks.aiolaa.token = x | relay.sinks.aiolaa.token | relay.sinks.aiola.token",
        "relay.drain.acept-grace = 1s | relay.drain.acept-grace | relay.drain.accept-grace",
        "relay.admission { max-call = 3 } | relay.admission.max-call | relay.admission.max-calls",
        "relay.shutdown.flush-timeot = 1s | relay.shutdown.flush-timeot | relay.shutdown.flush-timeout",
        "relay.sinks.recorder.queue-frame = 9 | relay.sinks.recorder.queue-frame | relay.sinks.recorder.queue-frames",
        "relay.bogus {} | relay.bogus | relay.routes",
    })
    void anUnknownKeyInTheFileNamesItselfAndTheNearestKnownKey(String hocon, String key, String nearest,
            @TempDir Path dir) {
        assertThatThrownBy(() -> fromFile(dir, hocon))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo(key))
                .hasMessage(key + ": unknown key; nearest known key: " + nearest);
    }

    @Test
    void anUnknownKeyFromASystemPropertyIsRefusedToo() {
        System.setProperty("relay.telephny.port", "1");
        try {
            assertThatThrownBy(() -> RelayConfig.load(null, Map.of()))
                    .isInstanceOf(ConfigError.class)
                    .hasMessage("relay.telephny.port: unknown key; nearest known key: relay.telephony.port");
        } finally {
            System.clearProperty("relay.telephny.port");
        }
    }

    @Test
    void keysOutsideRelayAndTheJvmSwitchesAreNotChecked() {
        System.setProperty("relay.log.level", "DEBUG");
        System.setProperty("relayx.whatever", "1");
        try {
            assertThatCode(() -> RelayConfig.load(null, Map.of())).doesNotThrowAnyException();
        } finally {
            System.clearProperty("relay.log.level");
            System.clearProperty("relayx.whatever");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "relay.routes { default = [recorder], sales = [recorder] }",
        "relay.sinks.aiola.keywords { \"acme corp\" = \"ACME\" }",
        "relay.sinks.aiola.routes { default { lang-code = de_DE } }",
        "relay.sinks.aiola.vad-config { vad_threshold = 0.4 }",
        "relay.sinks.session-stream.create-body { language = en, tags { a = b } }",
        "relay.sinks.recorder.queue-frames = 100",
        "relay.sinks.aiola.queue-frames = 100",
        "relay.sinks.session-stream.queue-frames = 100",
        "relay.sinks.media-stream.queue-frames = 100",
    })
    void mapValuedKeysAndReadAliasesAreKnown(String hocon, @TempDir Path dir) {
        assertThatCode(() -> fromFile(dir, hocon)).doesNotThrowAnyException();
    }

    @Test
    void moreThanOneUnknownKeyIsCountedInTheOneLine(@TempDir Path dir) {
        assertThatThrownBy(() -> fromFile(dir, "relay.a = 1\nrelay.b = 2\nrelay.c = 3"))
                .hasMessageStartingWith("relay.a: unknown key")
                .hasMessageEndingWith("(and 2 more unknown)");
    }

    @Test
    void theShippedConfigHasNoUnknownKey() {
        assertThatCode(() -> RelayConfig.load(Path.of("..", "config", "relay.conf"), Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void everyReferenceLeafIsAKnownPath() {
        assertThat(KnownKeys.knownPaths(KnownKeys.reference()))
                .contains("relay.telephony.port", "relay.admission.max-calls", "relay.routes",
                        "relay.sinks.session-stream.create-body")
                .doesNotContain("relay.shutdown.drain-timeout", "relay.routes.default");
    }

    @Test
    void editDistanceCountsSingleCharacterEdits() {
        assertThat(KnownKeys.editDistance("telephny", "telephony")).isEqualTo(1);
        assertThat(KnownKeys.editDistance("", "abc")).isEqualTo(3);
        assertThat(KnownKeys.editDistance("kitten", "sitting")).isEqualTo(3);
    }
}
