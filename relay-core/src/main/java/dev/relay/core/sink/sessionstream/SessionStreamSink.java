package dev.relay.core.sink.sessionstream;

import dev.relay.core.net.ClientFrameWriter;
import dev.relay.core.net.Transport;
import dev.relay.core.sink.StreamingSink;
import dev.relay.core.sink.WireAudio;
import dev.relay.core.sink.sessionstream.SessionApi.Answer;
import dev.relay.core.sink.sessionstream.SessionStreamConfig.Wire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code session-stream} for one call (SPEC §5.2): creates a streaming session over REST, streams
 * the call's PCM16 16 kHz audio to the session's upload socket (raw binary frames or the JSON
 * envelope), and at call end closes the socket, ends the session and publishes its result.
 *
 * <p>The link, as {@link StreamingSink} sees it: one {@link #connect()} attempt creates the session
 * when there is none yet, then opens the upload socket; it is up once the WebSocket handshake
 * completed. A lost socket is reopened to the same upload URL (the session lives on); a failed
 * creation is retried, both with the base's backoff. A 401/403 (or another 4xx that retrying cannot
 * fix) from creation or from the upgrade fails the link for this call: no hot retry loop with
 * refused credentials.
 *
 * <p>Delivery is confirmed by WebSocket pings ({@code confirm-interval}); a socket that answers
 * none within {@code pong-timeout} is closed and reopened. On the envelope wire the chunks a lost
 * socket left unconfirmed are written again on the next one (their {@code media.timestamp} places
 * them; the service may see some twice); on the raw wire they are counted as unconfirmed.
 *
 * <p>Threads: everything here runs on the call's IO loop. The REST answers arrive on the HTTP
 * client's threads and hop onto the loop; the upload channel is registered on the loop itself.
 * Only {@link SessionFinisher} (end and result polling) stays off the loop.
 *
 * <p>Events, besides the base's {@code sink.down}/{@code sink.up}: {@code session.error}
 * ({@code step} create | connect | end | result, {@code status} 0 when there was no HTTP answer,
 * {@code error}, {@code body} excerpt, {@code retrying}), once per distinct failure in a row, and
 * {@code session.result} at the end.
 */
final class SessionStreamSink extends StreamingSink implements UploadSocket.Listener {
    private static final Logger log = LoggerFactory.getLogger(SessionStreamSink.class);
    /** Samples per millisecond of the 16 kHz timeline, for envelope timestamps. */
    private static final int SAMPLES_PER_MS = 16;

    private final SessionStreamSinkFactory shared;
    private final SessionStreamConfig config;

    // All on the call's IO loop.
    private CreatedSession session;
    private SessionStreamMessages envelope;
    private boolean creating;
    private Channel channel;
    private UploadSocket socket;
    private boolean handshaken;
    private ScheduledFuture<?> handshakeTimer;
    private long sequenceNumber;
    private long chunkNumber;
    private String lastError;
    private boolean ending;
    private boolean socketClosed;
    private boolean endStarted;
    private Runnable done;

    SessionStreamSink(SessionStreamSinkFactory shared) {
        // The envelope places audio by timestamp, so chunks a lost socket left unconfirmed can be
        // written again without shifting the session's timeline; raw binary frames cannot.
        super(shared.group(), WireAudio.PCM16_16K, shared.config().chunkMs(),
                shared.config().wire() == Wire.ENVELOPE ? Delivery.CONFIRMED_REPLAYED : Delivery.CONFIRMED);
        this.shared = shared;
        this.config = shared.config();
    }

    // ---- Connecting. ----

    @Override
    protected void connect() {
        if (session == null) {
            createSession();
        } else {
            openSocket();
        }
    }

    private void createSession() {
        CompletableFuture<Answer> answer = shared.api().create(call().callId());
        // Only once the request is on its way: if create() threw, the base retries and no answer comes.
        creating = true;
        answer.whenComplete((a, error) -> onLoop(() -> created(a)));
    }

    private void created(Answer answer) {
        creating = false;
        CreatedSession parsed = null;
        String unusable = null;
        if (answer.ok()) {
            try {
                parsed = CreatedSession.parse(answer.body());
            } catch (CreatedSession.Unusable e) {
                unusable = e.getMessage();
            }
        }
        if (ending) {
            // The call ended while the session was being created: end it anyway, so the server does
            // not keep an orphan.
            session = parsed;
            maybeEndSession();
            return;
        }
        if (parsed != null) {
            session = parsed;
            if (config.wire() == Wire.ENVELOPE) {
                envelope = new SessionStreamMessages(parsed.sessionId(), call().callId(), config.envelopeEncoding());
            }
            log.debug("session-stream callId={} session={} upload_url={}", call().callId(), parsed.sessionId(),
                    parsed.uploadUrl());
            openSocket();
        } else if (unusable != null) {
            error("create", answer.status(), "unusable create answer: " + unusable, answer.body(), true);
            linkDown("session create answered " + answer.status() + " but " + unusable);
        } else if (answer.retryable()) {
            error("create", answer.status(), "create session failed: " + answer.describe(), answer.body(), true);
            linkDown("session create failed: " + answer.describe());
        } else {
            error("create", answer.status(), "create session refused: " + answer.describe(), answer.body(), false);
            linkFailed("session create refused: " + answer.describe());
        }
    }

    /** Where the upload socket goes: the resolved address, and the TLS context for {@code wss}. */
    private record Target(InetAddress address, SslContext ssl) {}

    private void openSocket() {
        CreatedSession s = session;
        try {
            // Off the loop: InetAddress may block on DNS, and the first TLS context loads OpenSSL.
            CompletableFuture.supplyAsync(() -> target(s), shared.executor())
                    .whenComplete((target, error) -> onLoop(() -> resolved(s, target, error)));
        } catch (RejectedExecutionException e) {
            linkDown("upload connect failed: the relay is shutting down");
        }
    }

    private Target target(CreatedSession s) {
        InetAddress address;
        try {
            address = InetAddress.getByName(s.uri().getHost());
        } catch (UnknownHostException e) {
            throw new CompletionException("cannot resolve " + s.uri().getHost(), e);
        }
        return new Target(address, s.tls() ? shared.sslContext() : null);
    }

    private void resolved(CreatedSession s, Target target, Throwable error) {
        if (ending) {
            return;
        }
        if (error != null) {
            linkDown("upload connect failed: " + rootMessage(error));
            return;
        }
        SslContext ssl = target.ssl();
        InetAddress address = target.address();
        handshaken = false;
        UploadSocket handler = new UploadSocket(s, this);
        ChannelFuture connecting = new Bootstrap()
                .group(loop())
                .channel(Transport.socketChannel(loop()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                config.stream().connectTimeoutMs()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast(ssl.newHandler(ch.alloc(), s.uri().getHost(), s.port()));
                        }
                        p.addLast(new HttpClientCodec(), new HttpObjectAggregator(UploadSocket.MAX_HANDSHAKE_RESPONSE),
                                handler);
                    }
                })
                .connect(new InetSocketAddress(address, s.port()));
        Channel ch = connecting.channel();
        channel = ch;
        socket = handler;
        connecting.addListener(f -> {
            if (!f.isSuccess() && channel == ch) {
                dropChannel();
                if (!ending) {
                    linkDown("upload connect failed: " + rootMessage(f.cause()));
                }
            }
        });
        // Connect and handshake together within connect-timeout.
        handshakeTimer = loop().schedule(() -> {
            if (channel == ch && !handshaken) {
                dropChannel();
                ch.close();
                if (!ending) {
                    error("connect", 0, "no WebSocket handshake within " + config.stream().connectTimeoutMs() + " ms",
                            new byte[0], true);
                    linkDown("upload handshake timed out");
                }
            }
        }, config.stream().connectTimeoutMs(), TimeUnit.MILLISECONDS);
    }

    // ---- UploadSocket.Listener, on the loop. ----

    @Override
    public void handshakeDone(Channel ch) {
        if (ch != channel || ending) {
            return;
        }
        cancelHandshakeTimer();
        handshaken = true;
        lastError = null;
        if (envelope != null) {
            ch.write(new TextWebSocketFrame(envelope.start(ch.alloc(), ++sequenceNumber)), ch.voidPromise());
        }
        linkUp();
        ch.flush();
    }

    @Override
    public void handshakeRejected(Channel ch, int status, String reason, String bodyExcerpt) {
        if (ch != channel || ending) {
            return;
        }
        dropChannel();
        boolean fatal = status == 401 || status == 403;
        error("connect", status, reason, bodyExcerpt, !fatal);
        if (fatal) {
            linkFailed(reason);
        } else {
            linkDown(reason);
        }
    }

    @Override
    public void closed(Channel ch, String reason) {
        if (ch != channel) {
            return;
        }
        dropChannel();
        if (!ending) {
            linkDown(reason);
        }
    }

    @Override
    public void writabilityChanged(Channel ch) {
        if (ch == channel) {
            writabilityChanged();
        }
    }

    @Override
    public void ponged(Channel ch, long mark) {
        if (ch == channel) {
            ponged(mark);
        }
    }

    // ---- Audio. ----

    @Override
    protected void ping(long mark) {
        if (channel != null && socket != null) {
            socket.ping(channel, mark);
        }
    }

    @Override
    protected void abort(String reason) {
        if (channel != null && socket != null) {
            socket.abort(channel, reason);
        }
    }

    @Override
    protected boolean writable() {
        return handshaken && channel != null && channel.isWritable();
    }

    @Override
    protected void send(ByteBuf audio, long startSample16k, int samples16k) {
        Channel ch = channel;
        if (envelope == null) {
            // Framed in the chunk's own headroom: no frame object and no masked copy per message.
            ch.write(ClientFrameWriter.frameInPlace(audio, ClientFrameWriter.OPCODE_BINARY), ch.voidPromise());
            return;
        }
        ByteBuf message;
        try {
            message = envelope.media(ch.alloc(), ++sequenceNumber, ++chunkNumber, startSample16k / SAMPLES_PER_MS,
                    audio);
        } finally {
            audio.release();
        }
        ch.write(new TextWebSocketFrame(message), ch.voidPromise());
    }

    @Override
    protected void flush() {
        if (channel != null) {
            channel.flush();
        }
    }

    // ---- Call end. ----

    @Override
    protected void finish(boolean connected, String reason, Runnable done) {
        log.debug("session-stream callId={} finishing ({}), socket {}", call().callId(), reason,
                channel == null ? "none" : handshaken ? "open" : "connecting");
        this.done = done;
        ending = true;
        cancelHandshakeTimer();
        Channel ch = channel;
        if (ch == null) {
            socketClosed();
            return;
        }
        if (handshaken && ch.isActive()) {
            if (envelope != null) {
                ch.write(new TextWebSocketFrame(envelope.stop(ch.alloc(), ++sequenceNumber)), ch.voidPromise());
            }
            // stop (or the close alone, on the raw wire) is what makes the server flush to storage.
            socket.closeGracefully(ch, reason, config.stream().connectTimeoutMs());
            ch.closeFuture().addListener(f -> socketClosed());
        } else {
            ch.close();
            dropChannel();
            socketClosed();
        }
    }

    private void socketClosed() {
        if (socketClosed) {
            return;
        }
        socketClosed = true;
        dropChannel();
        maybeEndSession();
    }

    /** Once the socket is closed and no creation is in flight: end the session, or finish at once. */
    private void maybeEndSession() {
        if (!socketClosed || creating || endStarted) {
            return;
        }
        endStarted = true;
        log.debug("session-stream callId={} socket closed, ending session {}", call().callId(),
                session == null ? "(none)" : session.sessionId());
        if (session == null) {
            done.run();
            return;
        }
        new SessionFinisher(shared.api(), config, shared.executor(), call().callId(), session.sessionId(),
                this::publish)
                .run()
                .whenComplete((v, e) -> done.run());
    }

    // ---- Helpers. ----

    private void dropChannel() {
        channel = null;
        socket = null;
        handshaken = false;
        cancelHandshakeTimer();
    }

    private void cancelHandshakeTimer() {
        if (handshakeTimer != null) {
            handshakeTimer.cancel(false);
            handshakeTimer = null;
        }
    }

    /** Publishes {@code session.error} unless it repeats the previous failure of this outage. */
    private void error(String step, int status, String message, byte[] body, boolean retrying) {
        error(step, status, message, BodyText.excerpt(body), retrying);
    }

    private void error(String step, int status, String message, String bodyExcerpt, boolean retrying) {
        String key = step + '|' + status + '|' + message;
        if (key.equals(lastError)) {
            return;
        }
        lastError = key;
        Map<String, Object> data = fields("step", step);
        if (session != null) {
            data.put("sessionId", session.sessionId());
        }
        data.put("status", status);
        data.put("error", message);
        data.put("body", bodyExcerpt);
        data.put("retrying", retrying);
        publish("session.error", data);
    }

    /**
     * Runs {@code task} on the call's loop; inline when the loop is gone (relay shutdown), so the
     * call still finishes.
     */
    private void onLoop(Runnable task) {
        try {
            loop().execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while ((root instanceof CompletionException && !(root.getCause() instanceof UnknownHostException)
                || root.getMessage() == null)
                && root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }
}
