package dev.relay.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay's whole configuration, read once at start and validated before anything binds.
 *
 * <p>Layers, strongest first: Java system properties ({@code -Drelay.telephony.port=9443}), secret
 * environment variables ({@link #SECRET_ENV}), the config file, then the embedded defaults in
 * {@code reference.conf}.
 *
 * @param telephony public WebSocket listener
 * @param media per-call media handling
 * @param dsp where the media path runs
 * @param recorder WAV recorder sink
 * @param routes route name to the sink names it fans out to; always has {@code default}
 * @param control admin API
 * @param alohaa provider REST API and webhooks
 * @param events event webhook and subscriber limits
 * @param cluster the shared control plane (SPEC §8.3); off by default
 * @param transport {@code relay.transport}: the Netty transport of every socket (not in SPEC)
 * @param flushTimeoutMs how long a stop-now shutdown waits for calls to close and sinks to flush
 *     ({@code relay.shutdown.flush-timeout}, formerly {@code drain-timeout})
 * @param raw the merged HOCON tree, for components that read their own subtree
 */
public record RelayConfig(
        TelephonyConfig telephony,
        MediaConfig media,
        DspConfig dsp,
        RecorderConfig recorder,
        Map<String, List<String>> routes,
        ControlConfig control,
        AlohaaConfig alohaa,
        EventsConfig events,
        ClusterConfig cluster,
        TransportMode transport,
        long flushTimeoutMs,
        Config raw) {

    /** Environment variables that carry secrets, and the keys they set. */
    public static final Map<String, String> SECRET_ENV = Map.of(
            "RELAY_AIOLA_TOKEN", "relay.sinks.aiola.token",
            "RELAY_AIOLA_API_KEY", "relay.sinks.aiola.api-key",
            "RELAY_ALOHAA_API_KEY", "relay.alohaa.api-key",
            "RELAY_SESSION_STREAM_API_KEY", "relay.sinks.session-stream.api-key",
            "RELAY_MEDIA_STREAM_TOKEN", "relay.sinks.media-stream.token",
            "RELAY_CONTROL_TOKEN", "relay.control.token",
            "RELAY_REDIS_PASSWORD", "relay.cluster.redis-password");

    /** Loads {@code file} (or only the embedded defaults when null) with the standard overrides. */
    public static RelayConfig load(Path file, Map<String, String> env) {
        Config fileConfig = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isReadable(file)) {
                throw new ConfigError("--config", "cannot read " + file);
            }
            try {
                fileConfig = ConfigFactory.parseFile(file.toFile(),
                        ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new ConfigError("--config", "cannot parse " + file + ": " + e.getMessage(), e);
            }
        }
        Config secrets = ConfigFactory.empty();
        for (Map.Entry<String, String> e : SECRET_ENV.entrySet()) {
            String value = env.get(e.getKey());
            if (value != null && !value.isEmpty()) {
                secrets = secrets.withValue(e.getValue(), ConfigValueFactory.fromAnyRef(value));
            }
        }
        ConfigFactory.invalidateCaches();
        Config merged;
        try {
            merged = ConfigFactory.systemProperties()
                    .withFallback(secrets)
                    .withFallback(fileConfig)
                    .withFallback(ConfigFactory.defaultReference())
                    .resolve();
        } catch (ConfigException e) {
            throw new ConfigError(e.origin() == null ? "relay" : e.origin().description(), e.getMessage(), e);
        }
        return from(merged);
    }

    /** Validates an already merged tree. */
    public static RelayConfig from(Config merged) {
        KnownKeys.check(merged, KnownKeys.reference());
        Settings relay = new Settings(merged, "").at("relay");
        TelephonyConfig telephony = TelephonyConfig.from(relay.at("telephony"));
        ControlConfig control = ControlConfig.from(relay.at("control"));
        ClusterConfig cluster = ClusterConfig.from(relay.at("cluster"), telephony.port());
        LogConfig.from(relay.at("log")); // read by Logback itself (LogConfig#peekFormat); validated here
        if (cluster.enabled() && control.token().isEmpty()) {
            // Other nodes forward control requests here, so the API must listen beyond loopback,
            // which it only does with a token.
            throw new ConfigError(relay.key("control.token"),
                    "required when relay.cluster.enabled = true (set RELAY_CONTROL_TOKEN)");
        }
        return new RelayConfig(
                telephony,
                MediaConfig.from(relay.at("media")),
                DspConfig.from(relay.at("dsp")),
                RecorderConfig.from(relay.at("sinks").at("recorder")),
                routes(relay.at("routes")),
                control,
                AlohaaConfig.from(relay.at("alohaa")),
                EventsConfig.from(relay.at("events")),
                cluster,
                TransportMode.from(relay),
                RenamedKeys.flushTimeoutMs(merged),
                merged);
    }

    private static Map<String, List<String>> routes(Settings s) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        for (String name : s.raw().root().keySet()) {
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new ConfigError(s.key(name), "route names are 1-64 of [A-Za-z0-9_-]");
            }
            routes.put(name, s.strings(name));
        }
        if (!routes.containsKey("default")) {
            throw new ConfigError(s.key("default"), "missing");
        }
        return Map.copyOf(routes);
    }
}
