package dev.relay.core.cluster;

import dev.relay.core.config.ClusterConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's two Redis connections, one for commands and one subscribed to the events channel,
 * and how they come back.
 *
 * <p>Until a first connection succeeds, attempts repeat every {@code retryMs}; after that Lettuce
 * reconnects by itself (with full-jitter backoff capped at {@code retryMs}) and re-subscribes.
 * While a connection is down, commands are rejected at once rather than queued; every command
 * times out after {@code relay.cluster.command-timeout}; commands are not replayed after a
 * reconnect (the node re-registers everything instead); at most {@link #MAX_IN_FLIGHT} commands
 * wait for Redis (a paused Redis cannot grow the queue without bound). Every failure surfaces as
 * {@link ClusterUnavailableException}. Thread-safe; never blocks.
 */
final class RedisLink {
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    /** Commands sent and not yet answered, per connection, before new ones are refused. */
    static final int MAX_IN_FLIGHT = 10_000;

    /** What the link tells its owner; called on event loops, must not block. */
    interface Listener {
        /** A connection (re)connected: time to re-check the node's registration. */
        void connected();

        /** A connection was lost. */
        void disconnected();

        /** A message arrived on the events channel. */
        void message(String message);
    }

    private final RedisClient client;
    private final RedisURI uri;
    private final long retryMs;
    private final Listener listener;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    /** The connect attempt under way, or null. Guarded by this. */
    private CompletableFuture<Boolean> attempt;
    private volatile boolean closed;
    private boolean loggedFailure;

    /** @param retryMs how often the owner retries a failed connect (for the log line) */
    RedisLink(ClusterConfig config, String nodeId, LettuceResources resources, long retryMs, Listener listener) {
        this.uri = uri(config, nodeId);
        this.retryMs = retryMs;
        this.listener = listener;
        this.client = RedisClient.create(resources.resources(), uri);
        client.setOptions(options(config));
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                listener.connected();
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                listener.disconnected();
            }
        });
    }

    static RedisURI uri(ClusterConfig config, String nodeId) {
        RedisURI uri = RedisURI.create(config.redisUrl());
        if (!config.redisPassword().isEmpty()) {
            String userInfo = URI.create(config.redisUrl()).getUserInfo();
            String user = userInfo == null ? "" : userInfo.split(":", 2)[0];
            if (user.isEmpty()) {
                uri.setAuthentication(config.redisPassword());
            } else {
                uri.setAuthentication(user, config.redisPassword());
            }
        }
        uri.setTimeout(Duration.ofMillis(config.commandTimeoutMs()));
        uri.setClientName("relay-" + nodeId);
        return uri;
    }

    private static ClientOptions options(ClusterConfig config) {
        // A connect (TCP and handshake) gets more than a command: it happens rarely, off any call's path.
        Duration connectTimeout = Duration.ofMillis(Math.max(500, 2 * config.commandTimeoutMs()));
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .requestQueueSize(MAX_IN_FLIGHT)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(config.commandTimeoutMs())))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .maintNotificationsConfig(MaintNotificationsConfig.disabled())
                .build();
    }

    /** Where the link connects, without credentials, for logs. */
    String target() {
        return uri.getHost() + ":" + uri.getPort() + "/" + uri.getDatabase();
    }

    /** True while the command connection is open. */
    boolean connected() {
        StatefulRedisConnection<String, String> c = commands;
        return c != null && c.isOpen();
    }

    /** True once the events connection exists (Lettuce keeps it subscribed from then on). */
    boolean subscribed() {
        return pubsub != null;
    }

    /**
     * Opens whatever connection is missing; completes with true once both are open, false when an
     * attempt failed (the next one is the caller's, or Lettuce's once a first one succeeded).
     */
    synchronized CompletionStage<Boolean> connect() {
        if (closed) {
            return CompletableFuture.completedFuture(false);
        }
        if (commands != null && pubsub != null) {
            return CompletableFuture.completedFuture(true);
        }
        if (attempt != null) {
            return attempt;
        }
        CompletableFuture<Boolean> a = new CompletableFuture<>();
        attempt = a;
        connectCommands().thenCompose(ignored -> connectPubSub()).whenComplete((ignored, e) -> finish(a, e));
        return a;
    }

    private CompletionStage<Void> connectCommands() {
        if (commands != null) {
            return CompletableFuture.completedFuture(null);
        }
        return client.connectAsync(StringCodec.UTF8, uri).thenAccept(c -> commands = c);
    }

    private CompletionStage<Void> connectPubSub() {
        if (pubsub != null) {
            return CompletableFuture.completedFuture(null);
        }
        return client.connectPubSubAsync(StringCodec.UTF8, uri).thenCompose(c -> {
            c.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    listener.message(message);
                }
            });
            pubsub = c;
            return c.async().subscribe(Keys.EVENTS);
        });
    }

    private void finish(CompletableFuture<Boolean> a, Throwable e) {
        boolean closeNow;
        synchronized (this) {
            attempt = null;
            closeNow = closed;
            if (e == null) {
                loggedFailure = false;
            } else if (!loggedFailure) {
                loggedFailure = true;
                log.warn("cluster: cannot connect to Redis at {} ({}); retrying every {} ms", target(),
                        unwrap(e).getMessage(), retryMs);
            }
        }
        if (closeNow) {
            closeConnections();
        }
        a.complete(e == null && !closeNow);
    }

    /** Runs a script by digest, sending its text only when Redis does not know it (after a restart). */
    CompletionStage<Object> eval(Script script, String[] keys, String... args) {
        RedisAsyncCommands<String, String> c = async();
        if (c == null) {
            return notConnected();
        }
        CompletableFuture<Object> out = new CompletableFuture<>();
        call(() -> c.<Object>evalsha(script.sha, script.output, keys, args)).whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else if (unwrap(e) instanceof RedisNoScriptException) {
                call(() -> c.<Object>eval(script.text, script.output, keys, args)).whenComplete((r2, e2) -> {
                    if (e2 == null) {
                        out.complete(r2);
                    } else {
                        out.completeExceptionally(unavailable(e2));
                    }
                });
            } else {
                out.completeExceptionally(unavailable(e));
            }
        });
        return out;
    }

    CompletionStage<Long> publish(String message) {
        RedisAsyncCommands<String, String> c = async();
        return c == null ? notConnected() : mapped(call(() -> c.publish(Keys.EVENTS, message)));
    }

    CompletionStage<Long> hdel(String key, String... fields) {
        RedisAsyncCommands<String, String> c = async();
        return c == null ? notConnected() : mapped(call(() -> c.hdel(key, fields)));
    }

    /** Closes both connections and the client; the shared loops keep running. Idempotent. */
    CompletionStage<Void> close(long timeoutMs) {
        CompletionStage<Boolean> pending;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            pending = attempt == null ? CompletableFuture.completedFuture(false) : attempt;
        }
        // A connect under way finishes first (and closes what it opened), so no channel outlives the
        // client. The shutdown closes both connections too (closing them first makes Lettuce warn).
        return pending.handle((v, e) -> null)
                .thenCompose(v -> client.shutdownAsync(0, timeoutMs, TimeUnit.MILLISECONDS))
                .handle((v, e) -> null);
    }

    private void closeConnections() {
        StatefulRedisConnection<String, String> c = commands;
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        if (c != null) {
            c.closeAsync();
        }
        if (p != null) {
            p.closeAsync();
        }
    }

    private RedisAsyncCommands<String, String> async() {
        StatefulRedisConnection<String, String> c = commands;
        return c == null || closed ? null : c.async();
    }

    /** Lettuce may throw from the calling thread (e.g. a full queue): folded into the stage. */
    private static <T> CompletionStage<T> call(Supplier<RedisFuture<T>> command) {
        try {
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> CompletionStage<T> mapped(CompletionStage<T> stage) {
        CompletableFuture<T> out = new CompletableFuture<>();
        stage.whenComplete((r, e) -> {
            if (e == null) {
                out.complete(r);
            } else {
                out.completeExceptionally(unavailable(e));
            }
        });
        return out;
    }

    private static <T> CompletionStage<T> notConnected() {
        return CompletableFuture.failedFuture(new ClusterUnavailableException("not connected to Redis"));
    }

    static ClusterUnavailableException unavailable(Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof ClusterUnavailableException u) {
            return u;
        }
        return new ClusterUnavailableException("Redis: " + cause.getMessage(), cause);
    }

    /** What went wrong in Redis or Lettuce, under our own and the futures' wrappers. */
    static Throwable rootCause(Throwable e) {
        Throwable t = unwrap(e);
        while (t instanceof ClusterUnavailableException && t.getCause() != null) {
            t = unwrap(t.getCause());
        }
        return t;
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
