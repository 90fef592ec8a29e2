package dev.relay.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** relay.shutdown.drain-timeout became relay.shutdown.flush-timeout: the old name still works, with a warning. */
class RenamedKeysTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger(RenamedKeys.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void capture() {
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
    }

    private static RelayConfig fromFile(Path dir, String hocon) throws Exception {
        Path file = dir.resolve("relay.conf");
        Files.writeString(file, hocon);
        return RelayConfig.load(file, Map.of());
    }

    @Test
    void flushTimeoutDefaultsToFiveSecondsWithoutAWarning() {
        assertThat(RelayConfig.load(null, Map.of()).flushTimeoutMs()).isEqualTo(5000);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void theOldNameIsReadWithAWarningNamingBothKeys(@TempDir Path dir) throws Exception {
        assertThat(fromFile(dir, "relay.shutdown.drain-timeout = 7s").flushTimeoutMs()).isEqualTo(7000);
        assertThat(logged.list).singleElement().satisfies(e -> {
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
            assertThat(e.getFormattedMessage())
                    .contains("relay.shutdown.drain-timeout", "relay.shutdown.flush-timeout");
        });
    }

    @Test
    void theNewNameIsReadAsIs(@TempDir Path dir) throws Exception {
        assertThat(fromFile(dir, "relay.shutdown.flush-timeout = 3s").flushTimeoutMs()).isEqualTo(3000);
        assertThat(logged.list).isEmpty();
    }

    @Test
    void settingBothIsAConfigErrorNamingTheOldKey(@TempDir Path dir) {
        assertThatThrownBy(() -> fromFile(dir, "relay.shutdown { drain-timeout = 7s, flush-timeout = 3s }"))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo("relay.shutdown.drain-timeout"))
                .hasMessageContaining("relay.shutdown.flush-timeout");
    }

    @Test
    void theOldNameAsASystemPropertyOverTheShippedFileIsBothSet() {
        System.setProperty("relay.shutdown.drain-timeout", "7s");
        try {
            assertThatThrownBy(() -> RelayConfig.load(Path.of("..", "config", "relay.conf"), Map.of()))
                    .isInstanceOf(ConfigError.class);
            assertThat(RelayConfig.load(null, Map.of()).flushTimeoutMs()).isEqualTo(7000);
        } finally {
            System.clearProperty("relay.shutdown.drain-timeout");
        }
    }
}
