package dev.relay.core.testing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.Sinks;
import java.util.HashMap;
import java.util.Map;

/** Starts relays on free loopback ports with test-friendly overrides. */
public final class TestRelays {
    private TestRelays() {}

    /**
     * Plain ws:// open to callers without a token, control API on a free port, route default →
     * memory, plus {@code overrides} (HOCON).
     */
    public static Config config(String overrides) {
        return ConfigFactory.parseString(overrides)
                .withFallback(ConfigFactory.parseString("""
                        relay.telephony.host = "127.0.0.1"
                        relay.telephony.port = 0
                        relay.telephony.tls.enabled = false
                        # Callers in tests present no token unless the test is about auth, which
                        # then sets tokens or auth.open = false with a token-file of its own.
                        relay.telephony.auth.open = true
                        relay.control.port = 0
                        relay.routes.default = [memory]
                        relay.shutdown.flush-timeout = 2s
                        # Tests send whole clips unpaced (a real peer sends every 20 ms): the ring
                        # must hold a clip even when a loaded machine delays the DSP thread.
                        relay.dsp.ring-bytes = 512KiB
                        """))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
    }

    public static RelayServer start(String overrides, MemorySinkFactory memory) throws InterruptedException {
        return start(overrides, memory, Map.of());
    }

    public static RelayServer start(String overrides, MemorySinkFactory memory, Map<String, SinkFactory> extra)
            throws InterruptedException {
        RelayConfig config = RelayConfig.from(config(overrides));
        Map<String, SinkFactory> sinks = new HashMap<>(extra);
        sinks.put("memory", memory);
        return new RelayServer(config, sinks).start();
    }

    /** A relay on {@code config} with its standard sinks (from the config) and {@code memory}, started. */
    public static RelayServer startWithStandardSinks(RelayConfig config, MemorySinkFactory memory)
            throws InterruptedException {
        Map<String, SinkFactory> sinks = new HashMap<>(Sinks.standard(config));
        sinks.put("memory", memory);
        return new RelayServer(config, sinks).start();
    }

    public static String wsUrl(RelayServer relay, String pathAndQuery) {
        return "ws://127.0.0.1:" + relay.telephonyAddress().getPort() + pathAndQuery;
    }

    /** {@code http://127.0.0.1:<control port>} + {@code pathAndQuery}. */
    public static String controlUrl(RelayServer relay, String pathAndQuery) {
        return "http://127.0.0.1:" + relay.controlAddress().getPort() + pathAndQuery;
    }
}
