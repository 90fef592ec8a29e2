package dev.relay.core.sink;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.sink.aiola.AiolaConfig;
import dev.relay.core.sink.aiola.AiolaSinkFactory;
import dev.relay.core.sink.bot.BotSinkFactory;
import dev.relay.core.sink.recorder.RecorderSinkFactory;
import dev.relay.core.sink.sessionstream.SessionStreamConfig;
import dev.relay.core.sink.sessionstream.SessionStreamSinkFactory;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The sink factories a relay offers, and the check that every route names only those. */
public final class Sinks {
    private Sinks() {}

    /** The production sinks. */
    public static Map<String, SinkFactory> standard(RelayConfig config) {
        return Map.of(
                "recorder", new RecorderSinkFactory(config.recorder()),
                BotSinkFactory.NAME, BotSinkFactory.from(config),
                SessionStreamConfig.NAME, SessionStreamSinkFactory.from(config),
                "aiola", new AiolaSinkFactory(AiolaConfig.from(config)));
    }

    /** Throws a {@link ConfigError} naming the route when it uses a sink that is not offered. */
    public static void validateRoutes(Map<String, List<String>> routes, Map<String, SinkFactory> offered) {
        for (Map.Entry<String, List<String>> route : routes.entrySet()) {
            for (String sink : route.getValue()) {
                if (!offered.containsKey(sink)) {
                    throw new ConfigError("relay.routes." + route.getKey(),
                            "unknown sink '" + sink + "', available: " + new TreeSet<>(offered.keySet()));
                }
            }
        }
    }
}
