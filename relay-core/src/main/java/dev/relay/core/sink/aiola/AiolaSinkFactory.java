package dev.relay.core.sink.aiola;

import dev.relay.core.config.ConfigError;
import dev.relay.core.net.TlsContexts;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.sink.SinkLatency;
import dev.relay.core.sink.StreamingSinkGroup;
import dev.relay.core.socketio.SocketIoCodec;
import dev.relay.core.socketio.SocketIoOptions;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code aiola}: each call's audio to aiOla's streaming STT over the relay's own Socket.IO client
 * (SPEC §5.1), transcripts back as call events. Holds what all calls share: settings, the TLS
 * context, the token exchange client, the constant {@code binary_data} frame, and the session
 * deletes still in flight. Thread-safe.
 */
public final class AiolaSinkFactory implements SinkFactory {
    private static final Logger log = LoggerFactory.getLogger(AiolaSinkFactory.class);
    static final String NAME = "aiola";
    /** Largest frame accepted from aiOla (transcripts and events are small). */
    private static final int MAX_FRAME_BYTES = 1 << 20;

    private final AiolaConfig config;
    private final StreamingSinkGroup group;
    private final SslContext ssl;
    private final AiolaAuthClient auth;
    private final byte[] audioHeader;
    private final JavaClients javaClients;
    private final Set<CompletableFuture<Integer>> deletes = ConcurrentHashMap.newKeySet();

    /** The production factory; the TLS context is only built when a route uses the sink over WebSocket. */
    public AiolaSinkFactory(AiolaConfig config) {
        this(config, config.routed() && config.transport() == AiolaConfig.AiolaTransport.WEBSOCKET
                && SocketIoOptions.secure(config.url()) ? clientTls() : null);
    }

    /** With an explicit TLS context (tests trusting a self-signed server). */
    public AiolaSinkFactory(AiolaConfig config, SslContext ssl) {
        this.config = config;
        this.group = new StreamingSinkGroup(NAME, config.stream());
        this.ssl = ssl;
        this.auth = config.routed() && config.exchangesApiKey()
                ? new AiolaAuthClient(config.authUrl(), config.apiKey(), config.stream().connectTimeoutMs())
                : null;
        this.audioHeader = SocketIoCodec.binaryEventHeader(config.namespace(), "binary_data");
        this.javaClients = config.routed() && config.transport() != AiolaConfig.AiolaTransport.WEBSOCKET
                ? new JavaClients(config)
                : null;
    }

    private static SslContext clientTls() {
        try {
            // Server certificates are checked against the JDK trust store, host names verified.
            return SslContextBuilder.forClient().sslProvider(TlsContexts.provider()).build();
        } catch (SSLException e) {
            throw new ConfigError(AiolaConfig.KEY + ".url", "cannot build a TLS client context: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Sink create(CallContext call) {
        return new AiolaSink(this, call);
    }

    @Override
    public SinkLatency latency() {
        return group.latency();
    }

    @Override
    public void awaitFlushed(long timeoutMs) throws InterruptedException {
        if (!group.awaitIdle(timeoutMs)) {
            log.warn("aiola: {} calls still flushing after {} ms", group.live(), timeoutMs);
        }
    }

    /** Waits for the session deletes still in flight, then stops the polling transport's HTTP threads. */
    @Override
    public void shutdown(long timeoutMs) {
        try {
            group.awaitIdle(timeoutMs);
            CompletableFuture.allOf(deletes.toArray(new CompletableFuture<?>[0])).get(Math.max(1, timeoutMs),
                    TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ExecutionException e) {
            log.warn("aiola: {} session deletes unanswered at shutdown", deletes.size());
        } finally {
            if (javaClients != null) {
                javaClients.shutdown();
            }
        }
    }

    // ---- For the per-call sinks. ----

    AiolaConfig config() {
        return config;
    }

    StreamingSinkGroup group() {
        return group;
    }

    /** True when links are the relay's own WebSocket client, whose pings confirm delivery. */
    boolean confirmsDelivery() {
        return javaClients == null;
    }

    /** Starts a connection attempt for one call with its query and headers, by the configured transport. */
    AiolaLink open(EventLoop loop, Map<String, String> query, Map<String, String> headers,
            AiolaLink.Listener listener) {
        if (javaClients != null) {
            return new JavaClientAiolaLink(loop, javaClients, query, headers, listener);
        }
        SocketIoOptions options = new SocketIoOptions(config.url(), config.path(), query, headers, config.namespace(),
                null,
                config.stream().connectTimeoutMs(), ssl, MAX_FRAME_BYTES);
        return new NettyAiolaLink(loop, options, audioHeader, listener);
    }

    /** A new session JWT from the API key, completing off the event loops. */
    CompletableFuture<AiolaToken> exchangeToken(String workflowId) {
        return auth.exchangeToken(workflowId);
    }

    /** Deletes an exchanged session at aiOla in the background; shutdown waits for it. */
    void revokeToken(AiolaToken token, String callId) {
        if (auth == null || !token.exchanged()) {
            return;
        }
        CompletableFuture<Integer> f = auth.revokeToken(token);
        deletes.add(f);
        f.whenComplete((status, e) -> {
            deletes.remove(f);
            if (status == null || status / 100 != 2) {
                log.warn("aiola callId={}: DELETE session {} answered {}", callId, token.sessionId(),
                        status == null || status == 0 ? "nothing" : "HTTP " + status);
            }
        });
    }

    /** Session deletes not yet answered (tests). */
    int deletesInFlight() {
        return deletes.size();
    }
}
