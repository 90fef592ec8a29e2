package dev.relay.core.sink.sessionstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.Sinks;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code relay.sinks.session-stream}: defaults, the secret from the environment, and every bad value named. */
class SessionStreamConfigTest {
    private static SessionStreamConfig read(String overrides) {
        RelayConfig relay = RelayConfig.from(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.defaultReference()).resolve());
        return SessionStreamSinkFactory.from(relay).config();
    }

    @Test
    void defaultsAreOffWithTheSpecTimings() {
        SessionStreamConfig c = read("");
        assertThat(c.configured()).isFalse();
        assertThat(c.apiKeyHeader()).isEqualTo("x-api-key");
        assertThat(c.wire()).isEqualTo(SessionStreamConfig.Wire.RAW);
        assertThat(c.envelopeEncoding()).isEqualTo("audio/x-l16");
        assertThat(c.chunkMs()).isEqualTo(20);
        assertThat(c.createBodyJson()).isEqualTo("{}");
        assertThat(c.resultPollIntervalMs()).isEqualTo(1000);
        assertThat(c.resultDeadlineMs()).isEqualTo(60_000);
        assertThat(c.httpTimeoutMs()).isEqualTo(10_000);
        assertThat(c.endRetries()).isEqualTo(4);
        assertThat(c.stream().queueDurationMs()).isEqualTo(10_000);
        assertThat(c.stream().reconnectInitialMs()).isEqualTo(500);
        assertThat(c.stream().reconnectMaxMs()).isEqualTo(30_000);
    }

    @Test
    void readsEveryKeyAndTrimsTheBaseUrlsSlash() {
        SessionStreamConfig c = read("""
                relay.sinks.session-stream {
                  base-url = "https://ingest.example.com/api/"
                  api-key-header = "Authorization"
                  wire = envelope
                  chunk-ms = 100
                  create-body { language = "hi", tags = [a, b] }
                  call-id-field = "external_id"
                  result-deadline = 0s
                }
                """);
        assertThat(c.baseUrl()).isEqualTo("https://ingest.example.com/api");
        assertThat(c.apiKeyHeader()).isEqualTo("Authorization");
        assertThat(c.wire()).isEqualTo(SessionStreamConfig.Wire.ENVELOPE);
        assertThat(c.chunkMs()).isEqualTo(100);
        assertThat(c.createBodyJson()).contains("\"language\":\"hi\"").contains("\"tags\":[\"a\",\"b\"]");
        assertThat(c.callIdField()).isEqualTo("external_id");
        assertThat(c.resultDeadlineMs()).isZero();
    }

    @Test
    void apiKeyComesFromTheEnvironment() {
        RelayConfig relay = RelayConfig.load(null, Map.of("RELAY_SESSION_STREAM_API_KEY", "k-123"));
        assertThat(SessionStreamSinkFactory.from(relay).config().apiKey()).isEqualTo("k-123");
    }

    @Test
    void isOfferedAsAStandardSink() {
        Map<String, SinkFactory> sinks = Sinks.standard(RelayConfig.load(null, Map.of()));
        assertThat(sinks).containsKey("session-stream");
        assertThat(sinks.get("session-stream").latency()).isNotNull();
    }

    @Test
    void aRouteUsingTheSinkWithoutABaseUrlIsAConfigError() {
        assertThatThrownBy(() -> read("relay.routes.default = [session-stream]"))
                .isInstanceOf(ConfigError.class)
                .extracting(e -> ((ConfigError) e).key()).isEqualTo("relay.sinks.session-stream.base-url");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "base-url = \"ftp://x\"                    | relay.sinks.session-stream.base-url",
        "base-url = \"http://x/a?b=c\"             | relay.sinks.session-stream.base-url",
        "base-url = \"not a url\"                  | relay.sinks.session-stream.base-url",
        "api-key-header = \"x api key\"            | relay.sinks.session-stream.api-key-header",
        "wire = json                               | relay.sinks.session-stream.wire",
        "chunk-ms = 30                             | relay.sinks.session-stream.chunk-ms",
        "chunk-ms = 0                              | relay.sinks.session-stream.chunk-ms",
        "create-body { upload_type = chunked }     | relay.sinks.session-stream.create-body.upload_type",
        "end-retries = -1                          | relay.sinks.session-stream.end-retries",
        "queue-frames = 1                          | relay.sinks.session-stream.queue-frames",
        "reconnect.max = 100ms                     | relay.sinks.session-stream.reconnect.max",
        "result-poll-interval = 0s                 | relay.sinks.session-stream.result-poll-interval",
    })
    void badValuesNameTheirKey(String setting, String key) {
        assertThatThrownBy(() -> read("relay.sinks.session-stream." + setting.trim()))
                .isInstanceOf(ConfigError.class)
                .extracting(e -> ((ConfigError) e).key()).isEqualTo(key);
    }
}
