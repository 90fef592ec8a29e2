package dev.relay.core.sink.sessionstream;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.config.Settings;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.SinkLatency;
import dev.relay.core.sink.StreamingSinkGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code session-stream}: the session ingest sink (SPEC §5.2). What its calls share: settings, the
 * latency histogram, one JDK {@link HttpClient} on two daemon threads (REST answers and the
 * end-of-session polling never run on an IO loop) and the TLS client context for {@code wss://}
 * upload URLs (JVM default trust store, hostname verified). The client and the context are made
 * on first use, so a relay whose routes do not use this sink starts no threads for it.
 */
public final class SessionStreamSinkFactory implements SinkFactory {
    private static final Logger log = LoggerFactory.getLogger(SessionStreamSinkFactory.class);
    private static final int HTTP_THREADS = 2;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final SessionStreamConfig config;
    private final StreamingSinkGroup group;
    private final ThreadPoolExecutor executor;
    private volatile SessionApi api;
    private volatile SslContext ssl;

    public SessionStreamSinkFactory(SessionStreamConfig config) {
        this.config = config;
        this.group = new StreamingSinkGroup(SessionStreamConfig.NAME, config.stream());
        this.executor = new ThreadPoolExecutor(HTTP_THREADS, HTTP_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "session-stream-http-" + THREAD_IDS.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /**
     * Reads {@code relay.sinks.session-stream} and checks it is usable when a route names the sink:
     * a config error naming {@code base-url} otherwise.
     */
    public static SessionStreamSinkFactory from(RelayConfig relay) {
        Settings s = new Settings(relay.raw(), "").at("relay.sinks").at(SessionStreamConfig.NAME);
        SessionStreamConfig config = SessionStreamConfig.from(s);
        boolean routed = relay.routes().values().stream().anyMatch(sinks -> sinks.contains(SessionStreamConfig.NAME));
        if (routed && !config.configured()) {
            throw new ConfigError(s.key("base-url"), "must be set when a route uses " + SessionStreamConfig.NAME);
        }
        if (routed && config.apiKey().isEmpty()) {
            log.warn("{} has no api-key (RELAY_SESSION_STREAM_API_KEY): sessions are created without one",
                    SessionStreamConfig.NAME);
        }
        return new SessionStreamSinkFactory(config);
    }

    @Override
    public String name() {
        return SessionStreamConfig.NAME;
    }

    @Override
    public Sink create(CallContext call) {
        return new SessionStreamSink(this);
    }

    @Override
    public SinkLatency latency() {
        return group.latency();
    }

    /** Lets calls stream what they still hold while the IO loops run. */
    @Override
    public void awaitFlushed(long timeoutMs) throws InterruptedException {
        group.awaitIdle(timeoutMs);
    }

    /** Waits for every call's session to be ended and its result published (or the timeout). */
    @Override
    public void shutdown(long timeoutMs) {
        try {
            if (!group.awaitIdle(timeoutMs)) {
                log.warn("{}: {} call(s) still finishing their sessions at shutdown", name(), group.live());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdown();
    }

    SessionStreamConfig config() {
        return config;
    }

    StreamingSinkGroup group() {
        return group;
    }

    ExecutorService executor() {
        return executor;
    }

    SessionApi api() {
        SessionApi a = api;
        if (a == null) {
            synchronized (this) {
                a = api;
                if (a == null) {
                    HttpClient http = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofMillis(config.httpTimeoutMs()))
                            .executor(executor)
                            .build();
                    api = a = new SessionApi(http, config);
                }
            }
        }
        return a;
    }

    /** The client TLS context; built once, on the first {@code wss://} upload URL. */
    SslContext sslContext() {
        SslContext c = ssl;
        if (c == null) {
            synchronized (this) {
                c = ssl;
                if (c == null) {
                    try {
                        ssl = c = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").build();
                    } catch (SSLException e) {
                        throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
                    }
                }
            }
        }
        return c;
    }
}
