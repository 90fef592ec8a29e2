package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.KeywordsSignal;
import dev.relay.core.net.Json;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.StreamingSink;
import dev.relay.core.sink.WireAudio;
import dev.relay.core.socketio.SocketIoClose;
import dev.relay.core.socketio.SocketIoEvent;
import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's aiOla stream: PCM16 16 kHz in {@code binary_data} emits of {@code chunk-ms}, keywords
 * as {@code set_keywords}, and what aiOla sends back published as call events ({@link AiolaEvents}).
 *
 * <p>A connect attempt first makes sure it has a usable JWT (the configured one, or a token from
 * the API key exchange, renewed when it expires within {@code token-refresh}), then opens a
 * {@link AiolaLink} (the relay's own Socket.IO client on the call's IO loop, or socket.io-client-java
 * for the polling transports) with the query of the call's route. Refused
 * credentials end the call's stream ({@code linkFailed}, no retries), except once for an exchanged
 * token that was not brand new (it may have expired or been revoked: a fresh one is tried).
 * Everything else is retried by {@link StreamingSink} with backoff. At the end the namespace is left,
 * the socket closed and an exchanged token revoked.
 *
 * <p>Threads: all on the call's IO loop, except the exchange's completion, which hops onto it.
 */
final class AiolaSink extends StreamingSink implements AiolaLink.Listener {
    private static final Logger log = LoggerFactory.getLogger(AiolaSink.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    /** At the end, how long the last audio may take to reach the socket before lingering anyway. */
    private static final long LINGER_WRITE_BOUND_MS = 2_000;

    private final AiolaSinkFactory factory;
    private final AiolaConfig config;
    private final AiolaStreamParams params;
    private final String callId;
    private final String executionId;

    private AiolaLink link;
    private AiolaToken token;
    private boolean tokenFresh;
    private boolean finished;
    private Once ending;
    private boolean concurrencyReported;
    private Map<String, String> keywords;

    AiolaSink(AiolaSinkFactory factory, CallContext call) {
        // Pongs confirm delivery on the relay's own WebSocket client only. Unconfirmed audio is
        // never written again: aiOla transcribes what it receives, so a replay would be heard twice.
        super(factory.group(), WireAudio.PCM16_16K, factory.config().chunkMs(),
                factory.confirmsDelivery() ? Delivery.CONFIRMED : Delivery.UNCONFIRMED);
        this.factory = factory;
        this.config = factory.config();
        this.params = config.params(call.route());
        this.callId = call.callId();
        this.executionId = ExecutionId.of(call.callId());
        this.token = config.exchangesApiKey() ? null : AiolaToken.configured(config.token());
    }

    // ---- StreamingSink hooks (IO loop). ----

    @Override
    protected void connect() {
        if (!config.exchangesApiKey()) {
            openLink();
            return;
        }
        if (token != null && !token.expiresWithin(config.tokenRefreshMs(), System.currentTimeMillis())) {
            openLink();
            return;
        }
        retireToken();
        factory.exchangeToken(config.workflowFor(params)).whenComplete((fresh, error) -> {
            try {
                loop().execute(() -> onToken(fresh, error));
            } catch (RejectedExecutionException e) {
                if (fresh != null) {
                    factory.revokeToken(fresh, callId);
                }
            }
        });
    }

    @Override
    protected boolean writable() {
        return link != null && link.writable();
    }

    @Override
    protected void send(ByteBuf audio, long startSample16k, int samples16k) {
        if (link == null) {
            audio.release();
            return;
        }
        link.emitAudio(audio);
    }

    @Override
    protected void flush() {
        if (link != null) {
            link.flush();
        }
    }

    @Override
    protected void ping(long mark) {
        if (link != null) {
            link.ping(mark);
        }
    }

    @Override
    protected void abort(String reason) {
        if (link != null) {
            link.abort(reason);
        }
    }

    @Override
    protected void finish(boolean connected, String reason, Runnable done) {
        finished = true;
        ending = new Once(() -> {
            retireToken();
            done.run();
        });
        AiolaLink c = link;
        if (c == null) {
            ending.run();
        } else if (!connected || !c.connected() || config.closeLingerMs() == 0) {
            leave(c);
        } else {
            // Linger: aiOla's last transcripts come after the last audio. Also, socket.io servers
            // dispatch events on the next tick and drop those of a socket that disconnected in the
            // same read, so the namespace is left only a while after the audio is on the wire.
            c.flush();
            c.whenWritten(() -> loop().schedule(() -> leave(c), config.closeLingerMs(), TimeUnit.MILLISECONDS));
            loop().schedule(() -> leave(c), config.closeLingerMs() + LINGER_WRITE_BOUND_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Leaves the namespace and closes {@code c}, then ends this sink's part of the call. */
    private void leave(AiolaLink c) {
        if (link != c) {
            return;
        }
        link = null;
        c.close(ending);
    }

    @Override
    protected void onCallEvent(CallEvent event) {
        Map<String, String> set = KeywordsSignal.keywordsOf(event);
        if (set == null) {
            return;
        }
        keywords = set;
        if (link != null && link.connected()) {
            sendKeywords();
            link.flush();
        }
        // Otherwise they go out as soon as the (re)connection is up.
    }

    // ---- Connecting. ----

    private void onToken(AiolaToken fresh, Throwable error) {
        if (finished) {
            if (fresh != null) {
                factory.revokeToken(fresh, callId);
            }
            return;
        }
        if (error != null) {
            Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            AiolaAuthException a = t instanceof AiolaAuthException e ? e
                    : new AiolaAuthException(AiolaAuthException.Kind.UNAVAILABLE, 0,
                    "aiOla token exchange failed: " + t, t);
            switch (a.kind()) {
                case REFUSED -> linkFailed(a.getMessage());
                case CONCURRENCY -> {
                    if (!concurrencyReported) {
                        concurrencyReported = true;
                        Map<String, Object> data = fields("code", AiolaAuthClient.CONCURRENCY_CODE, "status",
                                a.status());
                        data.put("message", a.getMessage());
                        publish(AiolaEvents.STT_ERROR, data);
                    }
                    linkDown(a.getMessage());
                }
                case UNAVAILABLE -> linkDown(a.getMessage());
            }
            return;
        }
        token = fresh;
        tokenFresh = true;
        openLink();
    }

    private void openLink() {
        link = factory.open(loop(), query(), Map.of("Authorization", "Bearer " + token.jwt()), this);
    }

    /** The handshake query (SPEC §5.1), in the order the SDKs send it. */
    Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("execution_id", executionId);
        q.put("flow_id", params.flowId());
        q.put("lang_code", params.langCode());
        q.put("time_zone", params.timeZone());
        q.put("vad_config", params.vadConfig());
        if (!params.keywords().isEmpty()) {
            q.put("keywords", json(params.keywords()));
        }
        q.put("x-aiola-api-token", token.jwt());
        return q;
    }

    private void retireToken() {
        if (token != null && token.exchanged()) {
            factory.revokeToken(token, callId);
            token = null;
        }
    }

    private void sendKeywords() {
        link.emit(json(List.of("set_keywords", keywords)));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("keywords are strings", e);
        }
    }

    // ---- AiolaLink.Listener (IO loop). ----

    @Override
    public void onConnected(AiolaLink c) {
        if (c != link) {
            return;
        }
        tokenFresh = false;
        log.debug("aiola callId={} connected execution_id={}", callId, executionId);
        if (keywords != null) {
            // Before the replayed audio, so it is recognised with them.
            sendKeywords();
        }
        linkUp();
        if (link != null) {
            link.flush();
        }
    }

    @Override
    public void onEvent(AiolaLink c, SocketIoEvent event) {
        if (c != link) {
            return;
        }
        AiolaEvents.Published p = AiolaEvents.map(event);
        publish(p.type(), p.data());
    }

    @Override
    public void onClosed(AiolaLink c, SocketIoClose close) {
        if (c != link) {
            return;
        }
        link = null;
        if (finished) {
            // Closed by aiOla while lingering at the end.
            ending.run();
            return;
        }
        String reason = close.toString();
        if (!close.permanent()) {
            linkDown(reason);
        } else if (config.exchangesApiKey() && !tokenFresh) {
            // A token that worked before may have expired or been revoked: one fresh try.
            retireToken();
            linkDown(reason + " (renewing the session)");
        } else {
            linkFailed(reason);
        }
    }

    @Override
    public void onWritable(AiolaLink c) {
        if (c == link) {
            writabilityChanged();
        }
    }

    @Override
    public void onPong(AiolaLink c, long mark) {
        if (c == link) {
            ponged(mark);
        }
    }

    /** Runs its task once, however often it is called. */
    private static final class Once implements Runnable {
        private Runnable task;

        Once(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            Runnable t = task;
            task = null;
            if (t != null) {
                t.run();
            }
        }
    }
}
