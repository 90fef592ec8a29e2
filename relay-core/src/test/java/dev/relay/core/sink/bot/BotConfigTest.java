package dev.relay.core.sink.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.sink.WireAudio;
import dev.relay.core.testing.TestRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BotConfigTest {
    private static BotSinkFactory factory(String hocon) {
        return BotSinkFactory.from(RelayConfig.from(TestRelays.config(hocon)));
    }

    @Test
    void shippedDefaultsLeaveTheSinkUnusedAndValid() {
        BotConfig c = factory("").config();
        assertThat(c.url()).isNull();
        assertThat(c.encoding()).isEqualTo(BotConfig.Encoding.MULAW);
        assertThat(c.chunkMs()).isEqualTo(20);
        assertThat(c.playLingerMs()).isEqualTo(200);
        assertThat(c.maxMessageBytes()).isEqualTo(1 << 20);
        assertThat(c.tokenValue()).isNull();
        assertThat(c.stream().queueDurationMs()).isEqualTo(10_000);
        assertThat(c.stream().reconnectInitialMs()).isEqualTo(250);
        assertThat(c.stream().reconnectMaxMs()).isEqualTo(10_000);
    }

    @Test
    void emptyUrlIsAnErrorOnlyWhenARouteUsesTheSink() {
        assertThatThrownBy(() -> factory("relay.routes.bots = [media-stream]"))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo("relay.sinks.media-stream.url"))
                .hasMessageContaining("route 'bots'");
    }

    @Test
    void wssUrlWithTokenInAnotherHeader() {
        BotConfig c = factory("""
                relay.sinks.media-stream.url = "wss://bot.example.com/stream?a=1"
                relay.sinks.media-stream.token = abc
                relay.sinks.media-stream.token-header = x-api-key
                relay.sinks.media-stream.encoding = l16
                """).config();
        assertThat(c.tls()).isTrue();
        assertThat(c.port()).isEqualTo(443);
        assertThat(c.tokenValue()).isEqualTo("abc");
        assertThat(c.encoding().wire()).isEqualTo(WireAudio.PCM16_16K);
        assertThat(factory("relay.sinks.media-stream.url = \"ws://h/x\"\nrelay.sinks.media-stream.token = t")
                .config().tokenValue()).isEqualTo("Bearer t");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "relay.sinks.media-stream.url = \"http://bot/\"          | relay.sinks.media-stream.url",
        "relay.sinks.media-stream.url = \"ws://\"                | relay.sinks.media-stream.url",
        "relay.sinks.media-stream.encoding = opus               | relay.sinks.media-stream.encoding",
        "relay.sinks.media-stream.chunk-ms = 5                  | relay.sinks.media-stream.chunk-ms",
        "relay.sinks.media-stream.token-header = \"bad header\" | relay.sinks.media-stream.token-header",
        "relay.sinks.media-stream.tls.ca-file = \"/nonexistent\" | relay.sinks.media-stream.tls.ca-file",
        "relay.sinks.media-stream.reconnect.max = 1ms           | relay.sinks.media-stream.reconnect.max",
    })
    void badValueNamesItsKey(String hocon, String key) {
        assertThatThrownBy(() -> factory(hocon))
                .isInstanceOf(ConfigError.class)
                .satisfies(e -> assertThat(((ConfigError) e).key()).isEqualTo(key));
    }
}
