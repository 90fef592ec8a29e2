package dev.relay.bench.floor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import org.junit.jupiter.api.Test;

/** The floor takes the relay's own settings, and refuses what it cannot stand in for. */
class FloorSettingsTest {
    private static RelayConfig config(String hocon) {
        return RelayConfig.from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference())
                .resolve());
    }

    @Test
    void sinksAndChunksComeFromTheRelaysConfig() {
        FloorSettings s = FloorSettings.from(config("""
                relay.routes.default = [aiola, session-stream]
                relay.sinks.aiola { url = "http://127.0.0.1:9", token = "t", chunk-ms = 200 }
                relay.sinks.session-stream { base-url = "http://127.0.0.1:9/x", chunk-ms = 40 }
                relay.dsp.io-threads = 3
                """));
        assertThat(s.sinks()).containsExactly("aiola", "session-stream");
        assertThat(s.aiola().chunkMs()).isEqualTo(200);
        assertThat(s.sessionStream().chunkMs()).isEqualTo(40);
        assertThat(s.sessionsUrl()).hasToString("http://127.0.0.1:9/x/voice/v1/sessions");
        assertThat(s.ioThreads()).isEqualTo(3);
    }

    @Test
    void aSinkWithoutAStandInIsAConfigError() {
        assertThatThrownBy(() -> FloorSettings.from(config("relay.routes.default = [session-stream, recorder]\n"
                + "relay.sinks.session-stream.base-url = \"http://127.0.0.1:9\"")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("relay.routes.default")
                .hasMessageContaining("'recorder'");
    }

    @Test
    void theEnvelopeWireIsAConfigError() {
        assertThatThrownBy(() -> FloorSettings.from(config("relay.routes.default = [session-stream]\n"
                + "relay.sinks.session-stream { base-url = \"http://127.0.0.1:9\", wire = envelope }")))
                .isInstanceOf(ConfigError.class).hasMessageContaining("raw binary frames only");
    }
}
