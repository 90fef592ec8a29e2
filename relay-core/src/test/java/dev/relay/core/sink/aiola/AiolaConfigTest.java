package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code relay.sinks.aiola}: defaults, route overrides, and a ConfigError naming the key for each bad value. */
class AiolaConfigTest {

    private static AiolaConfig load(String hocon) {
        return AiolaConfig.from(RelayConfig.from(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve()));
    }

    @Test
    void defaultsFollowTheSdksAndTheSeed() {
        AiolaConfig c = load("");
        assertThat(c.url().toString()).isEqualTo("https://apis.aiola.ai");
        assertThat(c.path()).isEqualTo("/api/voice-streaming/socket.io/");
        assertThat(c.namespace()).isEqualTo("/events");
        assertThat(c.transport()).isEqualTo(AiolaConfig.AiolaTransport.WEBSOCKET);
        assertThat(c.authUrl().toString()).isEqualTo("https://auth.aiola.ai");
        assertThat(c.chunkMs()).isEqualTo(100);
        assertThat(c.closeLingerMs()).isEqualTo(1000);
        assertThat(c.tokenRefreshMs()).isEqualTo(300_000);
        assertThat(c.stream().queueDurationMs()).isEqualTo(10_000);
        AiolaStreamParams p = c.params("default");
        assertThat(p.langCode()).isEqualTo("en_US");
        assertThat(p.timeZone()).isEqualTo("UTC");
        assertThat(p.vadConfig()).isEqualTo("{\"vad_threshold\":0.5,\"min_silence_duration_ms\":250}");
        assertThat(p.keywords()).isEmpty();
        assertThat(c.exchangesApiKey()).isFalse();
        assertThat(c.workflowFor(p)).isEqualTo(p.flowId());
    }

    @Test
    void routesOverrideWholeValuesAndOthersKeepTheDefaults() {
        AiolaConfig c = load("""
                relay.routes { default = [recorder], sales = [aiola], support = [aiola] }
                relay.sinks.aiola {
                  token = "jwt"
                  keywords { a = "A" }
                  vad-config { vad_threshold = 0.7 }
                  routes.sales { flow-id = "sales-flow", lang-code = de_DE, keywords { b = "B" } }
                }
                """);
        assertThat(c.params("sales").flowId()).isEqualTo("sales-flow");
        assertThat(c.params("sales").langCode()).isEqualTo("de_DE");
        assertThat(c.params("sales").keywords()).isEqualTo(Map.of("b", "B"));
        assertThat(c.params("sales").vadConfig()).isEqualTo("{\"vad_threshold\":0.7}");
        assertThat(c.params("support")).isEqualTo(c.defaults());
        assertThat(c.defaults().keywords()).isEqualTo(Map.of("a", "A"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay.sinks.aiola.lang-code = en|relay.sinks.aiola.lang-code",
        "relay.sinks.aiola.time-zone = \"Mars/Olympus\"|relay.sinks.aiola.time-zone",
        "relay.sinks.aiola.time-zone = \"+02:00\"|relay.sinks.aiola.time-zone",
        "relay.sinks.aiola.vad-config = \"{not json\"|relay.sinks.aiola.vad-config",
        "relay.sinks.aiola.vad-config = \"[1,2]\"|relay.sinks.aiola.vad-config",
        "relay.sinks.aiola.flow-id = \"\"|relay.sinks.aiola.flow-id",
        "relay.sinks.aiola.flow-id = \"has space\"|relay.sinks.aiola.flow-id",
        "relay.sinks.aiola.chunk-ms = 110|relay.sinks.aiola.chunk-ms",
        "relay.sinks.aiola.chunk-ms = 2000|relay.sinks.aiola.chunk-ms",
        "relay.sinks.aiola.transport = carrier-pigeon|relay.sinks.aiola.transport",
        "relay.sinks.aiola.url = \"https://apis.aiola.ai/events\"|relay.sinks.aiola.url",
        "relay.sinks.aiola.url = \"ftp://apis.aiola.ai\"|relay.sinks.aiola.url",
        "relay.sinks.aiola.auth-url = \"wss://auth.aiola.ai\"|relay.sinks.aiola.auth-url",
        "relay.sinks.aiola.path = \"no-slash\"|relay.sinks.aiola.path",
        "relay.sinks.aiola.namespace = \"events\"|relay.sinks.aiola.namespace",
        "relay.sinks.aiola.keywords { a = 1 }|relay.sinks.aiola.keywords.a",
        "relay.sinks.aiola.routes.nope { flow-id = x }|relay.sinks.aiola.routes.nope",
        "relay.sinks.aiola.routes.default { flow_id = x }|relay.sinks.aiola.routes.default.flow_id",
        "relay.sinks.aiola.routes.default { lang-code = xx_XX }|relay.sinks.aiola.routes.default.lang-code",
        "relay.sinks.aiola.reconnect.max = 1ms|relay.sinks.aiola.reconnect.max",
        "relay.routes.default = [aiola]|relay.sinks.aiola.token",
    })
    void aBadValueIsAConfigErrorNamingItsKey(String hocon, String key) {
        assertThatThrownBy(() -> load(hocon)).isInstanceOfSatisfying(ConfigError.class,
                e -> assertThat(e.key()).isEqualTo(key));
    }

    @Test
    void anApiKeyIsEnoughForARouteThatUsesAiola() {
        AiolaConfig c = load("relay.routes.default = [aiola]\nrelay.sinks.aiola.api-key = "
                + "k\nrelay.sinks.aiola.workflow-id = wf");
        assertThat(c.exchangesApiKey()).isTrue();
        assertThat(c.workflowFor(c.defaults())).isEqualTo("wf");
    }

    @Test
    void secretsComeFromTheEnvironment() {
        RelayConfig relay = RelayConfig.load(null, Map.of("RELAY_AIOLA_TOKEN", "t0k", "RELAY_AIOLA_API_KEY", "k3y"));
        AiolaConfig c = AiolaConfig.from(relay);
        assertThat(c.token()).isEqualTo("t0k");
        assertThat(c.apiKey()).isEqualTo("k3y");
        assertThat(c.exchangesApiKey()).isFalse();
    }
}
