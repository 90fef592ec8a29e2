package dev.relay.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RelayConfigTest {
    private static final Path SHIPPED = Path.of("..", "config", "relay.conf");

    @Test
    void embeddedDefaultsMatchSpec() {
        RelayConfig c = RelayConfig.load(null, Map.of());
        assertThat(c.telephony().port()).isEqualTo(8443);
        assertThat(c.telephony().path()).isEqualTo("/media");
        assertThat(c.telephony().registrationTimeoutMs()).isEqualTo(10_000);
        assertThat(c.telephony().idleTimeoutMs()).isEqualTo(300_000);
        assertThat(c.telephony().maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(c.telephony().rawSampleRateHz()).isEqualTo(16000);
        assertThat(c.telephony().tls().enabled()).isTrue();
        assertThat(c.media().jitterFrames()).isEqualTo(3);
        assertThat(c.routes()).containsEntry("default", List.of("recorder"));
        assertThat(c.recorder().dir()).isEqualTo(Path.of("./recordings"));
        assertThat(c.dsp().ioCoalesceMicros()).isEqualTo(1_000);
    }

    @Test
    void shippedConfigFileStatesTheEmbeddedDefaults() {
        RelayConfig shipped = RelayConfig.load(SHIPPED, Map.of());
        RelayConfig embedded = RelayConfig.load(null, Map.of());
        assertThat(ConfigFactory.parseFile(SHIPPED.toFile()).resolve().getConfig("relay").root().unwrapped())
                .isEqualTo(ConfigFactory.defaultReference().getConfig("relay").root().unwrapped());
        assertThat(shipped.telephony()).isEqualTo(embedded.telephony());
    }

    @Test
    void systemPropertyOverridesFile() {
        System.setProperty("relay.telephony.port", "9443");
        try {
            assertThat(RelayConfig.load(SHIPPED, Map.of()).telephony().port()).isEqualTo(9443);
        } finally {
            System.clearProperty("relay.telephony.port");
        }
    }

    @Test
    void secretsComeFromEnvironment() {
        RelayConfig c = RelayConfig.load(null, Map.of("RELAY_CONTROL_TOKEN", "s3cret"));
        assertThat(c.raw().getString("relay.control.token")).isEqualTo("s3cret");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay.telephony.port = 70000              | relay.telephony.port",
        "relay.telephony.port = \"abc\"            | relay.telephony.port",
        "relay.telephony.path = \"media\"          | relay.telephony.path",
        "relay.telephony.raw-sample-rate = 11025   | relay.telephony.raw-sample-rate",
        "relay.media.jitter-frames = 0             | relay.media.jitter-frames",
        "relay.dsp.mode = turbo                    | relay.dsp.mode",
        "relay.dsp.ring-bytes = 5000               | relay.dsp.ring-bytes",
        "relay.dsp.io-coalesce = 20ms              | relay.dsp.io-coalesce",
        "relay.dsp.io-coalesce = -1ms              | relay.dsp.io-coalesce",
        "relay.telephony.tls.cert-file = \"a.pem\" | relay.telephony.tls.key-file",
        "relay.routes.default = null               | relay.routes.default",
        "relay.sinks.recorder.format = mp3         | relay.sinks.recorder.format",
        "relay.sinks.recorder.queue-duration = 10ms | relay.sinks.recorder.queue-duration",
        "relay.sinks.recorder.queue-frames = 1     | relay.sinks.recorder.queue-frames",
    })
    void badValueNamesItsKey(String hocon, String key, @TempDir Path dir) throws Exception {
        Path file = confFile(dir, hocon);
        assertThatThrownBy(() -> RelayConfig.load(file, Map.of()))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo(key))
                .hasMessageStartingWith(key + ": ");
    }

    @Test
    void ioCoalesceKeepsMicroseconds(@TempDir Path dir) throws Exception {
        assertThat(RelayConfig.load(confFile(dir, "relay.dsp.io-coalesce = 500us"), Map.of()).dsp().ioCoalesceMicros())
                .isEqualTo(500);
        assertThat(RelayConfig.load(confFile(dir, "relay.dsp.io-coalesce = 0"), Map.of()).dsp().ioCoalesceMicros())
                .isZero();
    }

    @Test
    void everySinkQueueDefaultsToTenSecondsOfAudio() {
        RelayConfig c = RelayConfig.load(null, Map.of());
        assertThat(c.recorder().queueDurationMs()).isEqualTo(10_000);
        for (String sink : new String[] {"aiola", "session-stream", "media-stream"}) {
            Settings s = new Settings(c.raw(), "").at("relay.sinks." + sink);
            assertThat(StreamConfig.from(s).queueDurationMs()).as(sink).isEqualTo(10_000);
            assertThat(s.has("queue-frames")).as("embedded defaults set only queue-duration").isFalse();
        }
    }

    @Test
    void queueDurationAndTheSpecsQueueFramesAreBothRead(@TempDir Path dir) throws Exception {
        RelayConfig c = RelayConfig.load(confFile(dir, """
                relay.sinks.recorder.queue-frames = 50
                relay.sinks.aiola.queue-duration = 2500ms
                relay.sinks.session-stream.queue-frames = 3
                """), Map.of());
        assertThat(c.recorder().queueDurationMs()).as("50 frames x 20 ms").isEqualTo(1000);
        assertThat(streamOf(c, "aiola").queueDurationMs()).isEqualTo(2500);
        assertThat(streamOf(c, "session-stream").queueDurationMs()).isEqualTo(60);
        assertThat(streamOf(c, "media-stream").queueDurationMs()).isEqualTo(10_000);
    }

    @Test
    void queueFramesAsASystemPropertyOverridesTheShippedFilesDuration() {
        System.setProperty("relay.sinks.aiola.queue-frames", "25");
        try {
            assertThat(streamOf(RelayConfig.load(SHIPPED, Map.of()), "aiola").queueDurationMs()).isEqualTo(500);
        } finally {
            System.clearProperty("relay.sinks.aiola.queue-frames");
        }
    }

    @Test
    void queueFramesAndQueueDurationInOnePlaceIsAnErrorNamingBoth(@TempDir Path dir) throws Exception {
        Path file = confFile(dir, """
                relay.sinks.recorder.queue-frames = 50
                relay.sinks.recorder.queue-duration = 1s
                """);
        assertThatThrownBy(() -> RelayConfig.load(file, Map.of()))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo("relay.sinks.recorder.queue-frames"))
                .hasMessageContaining("relay.sinks.recorder.queue-duration");
    }

    private static Path confFile(Path dir, String hocon) throws IOException {
        Path file = dir.resolve("relay.conf");
        Files.writeString(file, hocon);
        return file;
    }

    private static StreamConfig streamOf(RelayConfig c, String sink) {
        return StreamConfig.from(new Settings(c.raw(), "").at("relay.sinks." + sink));
    }

    @Test
    void unreadableFileIsAConfigError(@TempDir Path dir) {
        assertThatThrownBy(() -> RelayConfig.load(dir.resolve("missing.conf"), Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void unparsableFileIsAConfigError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.conf");
        Files.writeString(file, "relay { telephony { port = ");
        assertThatThrownBy(() -> RelayConfig.load(file, Map.of()))
                .isInstanceOf(ConfigError.class)
                .hasMessageContaining("cannot parse");
    }
}
