package dev.relay.core.sink.bot;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;
import dev.relay.core.net.TlsContexts;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.SinkLatency;
import dev.relay.core.sink.StreamingSinkGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * {@code media-stream}: the bidirectional bot stream (SPEC §5.3), one WebSocket per call to
 * {@code relay.sinks.media-stream.url}. Shares the TLS context, the host-name lookups, the latency
 * histogram and the bot counters among its calls. Thread-safe.
 */
public final class BotSinkFactory implements SinkFactory {
    /** The name routes use. */
    public static final String NAME = "media-stream";

    private final BotConfig config;
    private final StreamingSinkGroup group;
    private final BotCounters counters = new BotCounters();
    private final SslContext ssl;
    private final BotResolver resolver;

    /**
     * Reads {@code relay.sinks.media-stream}. Every key is validated; an empty {@code url} is only a
     * {@link ConfigError} when a route names this sink.
     */
    public static BotSinkFactory from(RelayConfig relay) {
        Settings s = new Settings(relay.raw(), "").at("relay").at("sinks").at(NAME);
        BotConfig config = BotConfig.from(s);
        if (config.url() == null) {
            for (Map.Entry<String, List<String>> route : relay.routes().entrySet()) {
                if (route.getValue().contains(NAME)) {
                    throw new ConfigError(s.key("url"), "must be a ws:// or wss:// URL: route '" + route.getKey()
                            + "' uses " + NAME);
                }
            }
        }
        return new BotSinkFactory(config);
    }

    public BotSinkFactory(BotConfig config) {
        this.config = config;
        this.group = new StreamingSinkGroup(NAME, config.stream());
        this.ssl = config.tls() ? clientTls(config) : null;
        this.resolver = config.url() == null ? null : new BotResolver(config.url().getHost(), config.port());
    }

    private static SslContext clientTls(BotConfig config) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(TlsContexts.provider());
            if (config.caFile() != null) {
                builder.trustManager(config.caFile().toFile());
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigError("relay.sinks." + NAME + ".tls.ca-file",
                    "cannot build the TLS client: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sink create(CallContext call) {
        if (config.url() == null) {
            throw new IllegalStateException(NAME + " has no url (relay.sinks." + NAME + ".url)");
        }
        return new BotSink(this);
    }

    @Override
    public SinkLatency latency() {
        return group.latency();
    }

    @Override
    public void registerMetrics(PrometheusRegistry registry) {
        counters.register(registry, NAME);
    }

    /** Calls still sending their last audio, {@code stop} and close frame to their bots. */
    @Override
    public void awaitFlushed(long timeoutMs) throws InterruptedException {
        group.awaitIdle(timeoutMs);
    }

    BotConfig config() {
        return config;
    }

    StreamingSinkGroup group() {
        return group;
    }

    BotCounters counters() {
        return counters;
    }

    /** Null for {@code ws://}. */
    SslContext ssl() {
        return ssl;
    }

    BotResolver resolver() {
        return resolver;
    }
}
