package dev.relay.bench.fakes;

import com.typesafe.config.ConfigFactory;
import dev.relay.core.config.RelayConfig;

/** Relay configs pointing at a {@link FakeAlohaaRest}. */
final class AlohaaFixtures {
    static final String API_KEY = "key-123";

    private AlohaaFixtures() {}

    /** {@code overrides} (HOCON) over a test config whose Alohaa base URL is {@code baseUrl}. */
    static RelayConfig config(String baseUrl, String overrides) {
        return RelayConfig.from(ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("""
                        relay.telephony.host = "127.0.0.1"
                        relay.telephony.port = 0
                        relay.telephony.tls.enabled = false
                        relay.alohaa.api-key = "%s"
                        relay.alohaa.base-url = "%s"
                        relay.alohaa.public-media-url = "wss://relay.example.com/media"
                        relay.alohaa.request-timeout = 2s
                        relay.routes.sales = [recorder]
                        relay.shutdown.flush-timeout = 2s
                        """.formatted(API_KEY, baseUrl)))
                .withFallback(ConfigFactory.defaultReference())
                .resolve());
    }
}
