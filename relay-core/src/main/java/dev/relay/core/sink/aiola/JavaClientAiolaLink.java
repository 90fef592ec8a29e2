package dev.relay.core.sink.aiola;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.relay.core.net.Json;
import dev.relay.core.socketio.SocketIoClose;
import dev.relay.core.socketio.SocketIoEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.EngineIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code transport = polling | all}: socket.io-client-java 2.1.2 for networks whose proxies block
 * WebSockets. Its callbacks run on the library's one global event thread; they only convert what
 * arrived and hop onto the call's IO loop, where everything else happens. One
 * {@code forceNew} manager per attempt (a shared manager would outlive the call), no reconnection
 * of its own ({@link dev.relay.core.sink.StreamingSink} does that), no timer thread for the connect
 * timeout (the loop keeps it), HTTP through the factory's shared OkHttp client and dispatcher.
 *
 * <p>Backpressure: the library buffers without bound, so emits handed over but not yet written are
 * counted, and the link stops being writable at {@link #MAX_UNSENT}; the engine's {@code drain}
 * (reached by reflection: the manager keeps its engine package-private) resets the count.
 */
final class JavaClientAiolaLink implements AiolaLink {
    private static final Logger log = LoggerFactory.getLogger(JavaClientAiolaLink.class);
    private static final ObjectMapper JSON = Json.MAPPER;
    /** Chunks handed to the library and not yet written before the link reports itself full. */
    static final int MAX_UNSENT = 16;
    private static final long CLOSE_GRACE_MS = 1_000;

    private final EventLoop loop;
    private final Listener listener;
    private final Socket socket;
    private final AtomicInteger unsent = new AtomicInteger();
    private final List<Runnable> afterDrain = new ArrayList<>();
    private ScheduledFuture<?> connectTimer;
    private boolean connected;
    private boolean ended;

    JavaClientAiolaLink(EventLoop loop, JavaClients clients, Map<String, String> query, Map<String, String> headers,
            Listener listener) {
        this.loop = loop;
        this.listener = listener;
        this.socket = IO.socket(clients.namespaceUri(), clients.options(query, headers));
        Manager manager = socket.io();
        manager.on(Manager.EVENT_OPEN, args -> watchEngine(manager));
        socket.on(Socket.EVENT_CONNECT, args -> onLoop(this::onConnect));
        socket.on(Socket.EVENT_CONNECT_ERROR, args -> {
            SocketIoClose close = connectError(args.length > 0 ? args[0] : null);
            onLoop(() -> end(close));
        });
        socket.on(Socket.EVENT_DISCONNECT, args -> {
            SocketIoClose close = disconnected(args.length > 0 ? String.valueOf(args[0]) : "");
            onLoop(() -> end(close));
        });
        socket.onAnyIncoming(args -> {
            Received r = received(args);
            onLoop(() -> {
                if (!ended) {
                    listener.onEvent(this, r.event());
                    if (r.ack() != null) {
                        r.ack().call();
                    }
                }
            });
        });
        connectTimer = loop.schedule(() -> end(new SocketIoClose(SocketIoClose.Kind.CONNECT_TIMEOUT,
                "not connected within " + clients.connectTimeoutMs() + " ms", 0)), clients.connectTimeoutMs(),
                TimeUnit.MILLISECONDS);
        socket.connect();
    }

    // ---- AiolaLink (IO loop). ----

    @Override
    public boolean connected() {
        return connected && !ended;
    }

    @Override
    public boolean writable() {
        return connected() && (unsent.get() < MAX_UNSENT || !JavaClients.tracksWrites());
    }

    @Override
    public void emitAudio(ByteBuf pcm) {
        try {
            if (connected()) {
                unsent.incrementAndGet();
                socket.emit("binary_data", (Object) ByteBufUtil.getBytes(pcm));
            }
        } finally {
            pcm.release();
        }
    }

    @Override
    public void emit(String argsJson) {
        if (!connected()) {
            return;
        }
        try {
            JSONArray args = new JSONArray(argsJson);
            Object[] rest = new Object[args.length() - 1];
            for (int i = 1; i < args.length(); i++) {
                rest[i - 1] = args.get(i);
            }
            unsent.incrementAndGet();
            socket.emit(args.getString(0), rest);
        } catch (JSONException e) {
            throw new IllegalArgumentException("not a JSON array with an event name first: " + argsJson, e);
        }
    }

    @Override
    public void flush() {
        // The library flushes on its own thread as soon as it can.
    }

    @Override
    public void whenWritten(Runnable written) {
        if (!connected() || unsent.get() == 0 || !JavaClients.tracksWrites()) {
            written.run();
        } else {
            afterDrain.add(written);
        }
    }

    /** socket.io-client-java has no WebSocket pings to offer: this transport does not confirm delivery. */
    @Override
    public void ping(long mark) {}

    @Override
    public void abort(String reason) {
        // Never asked: the sink only aborts links that confirm delivery.
    }

    @Override
    public void close(Runnable whenClosed) {
        boolean wasOpen = !ended;
        ended = true;
        cancelConnectTimer();
        Runnable once = new Runnable() {
            private boolean ran;

            @Override
            public void run() {
                if (!ran) {
                    ran = true;
                    if (whenClosed != null) {
                        whenClosed.run();
                    }
                }
            }
        };
        socket.io().once(Manager.EVENT_CLOSE, args -> onLoop(once));
        loop.schedule(once, CLOSE_GRACE_MS, TimeUnit.MILLISECONDS);
        if (wasOpen || socket.connected()) {
            socket.close();
        }
    }

    // ---- From the library's event thread. ----

    private void onLoop(Runnable r) {
        try {
            loop.execute(r);
        } catch (RejectedExecutionException e) {
            socket.close();
        }
    }

    private void watchEngine(Manager manager) {
        JavaClients.onEngineDrain(manager, () -> {
            unsent.set(0);
            onLoop(this::drained);
        });
    }

    /** Connect errors: a CONNECT_ERROR packet's {message, data}, or the engine's failure. */
    static SocketIoClose connectError(Object error) {
        if (error instanceof JSONObject o) {
            String message = o.optString("message", o.toString());
            return new SocketIoClose(SocketIoClose.connectErrorKind(message + " " + o.opt("data")),
                    "namespace refused the client: " + message, 0);
        }
        if (error instanceof EngineIOException e) {
            Throwable cause = e.getCause();
            int status = cause instanceof IOException && cause.getMessage() != null
                    && cause.getMessage().matches("\\d{3}")
                    ? Integer.parseInt(cause.getMessage()) : 0;
            if (status > 0) {
                SocketIoClose.Kind kind = status == 401 || status == 403 ? SocketIoClose.Kind.AUTH_REFUSED
                        : SocketIoClose.Kind.REFUSED;
                return new SocketIoClose(kind, "polling handshake refused with HTTP " + status, status);
            }
            return new SocketIoClose(SocketIoClose.Kind.NETWORK, e.getMessage()
                    + (cause == null ? "" : " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")"),
                    0);
        }
        if (error instanceof Exception e && "timeout".equals(e.getMessage())) {
            return new SocketIoClose(SocketIoClose.Kind.CONNECT_TIMEOUT, "Engine.IO open timed out", 0);
        }
        return new SocketIoClose(SocketIoClose.Kind.NETWORK, String.valueOf(error), 0);
    }

    /** The library's disconnect reasons. */
    static SocketIoClose disconnected(String reason) {
        SocketIoClose.Kind kind = switch (reason) {
            case "io server disconnect", "transport close", "forced close" -> SocketIoClose.Kind.SERVER_DISCONNECT;
            case "ping timeout" -> SocketIoClose.Kind.PING_TIMEOUT;
            case "parse error" -> SocketIoClose.Kind.PROTOCOL;
            default -> SocketIoClose.Kind.NETWORK;
        };
        return new SocketIoClose(kind, reason, 0);
    }

    /** An incoming event, its arguments as JSON (binary ones as placeholders), and its ack if any. */
    record Received(SocketIoEvent event, Ack ack) {}

    static Received received(Object[] args) {
        String name = args.length > 0 ? String.valueOf(args[0]) : "";
        int end = args.length;
        Ack ack = null;
        if (end > 1 && args[end - 1] instanceof Ack a) {
            ack = a;
            end--;
        }
        ArrayNode json = JsonNodeFactory.instance.arrayNode();
        List<byte[]> attachments = new ArrayList<>();
        for (int i = 1; i < end; i++) {
            json.add(toJson(args[i], attachments));
        }
        return new Received(new SocketIoEvent(name, json, ack == null ? -1 : 0, List.copyOf(attachments)), ack);
    }

    private static JsonNode toJson(Object value, List<byte[]> attachments) {
        if (value instanceof byte[] bytes) {
            attachments.add(bytes);
            return JsonNodeFactory.instance.objectNode().put("_placeholder", true).put("num", attachments.size() - 1);
        }
        if (value == null || value == JSONObject.NULL) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (value instanceof JSONObject || value instanceof JSONArray) {
            try {
                return JSON.readTree(value.toString());
            } catch (IOException e) {
                return JsonNodeFactory.instance.textNode(value.toString());
            }
        }
        return JSON.valueToTree(value);
    }

    // ---- IO loop. ----

    private void onConnect() {
        if (ended) {
            return;
        }
        cancelConnectTimer();
        connected = true;
        listener.onConnected(this);
    }

    private void drained() {
        if (!afterDrain.isEmpty()) {
            List<Runnable> run = new ArrayList<>(afterDrain);
            afterDrain.clear();
            run.forEach(Runnable::run);
        }
        if (connected() && !ended) {
            listener.onWritable(this);
        }
    }

    private void end(SocketIoClose close) {
        if (ended) {
            return;
        }
        ended = true;
        cancelConnectTimer();
        socket.close();
        log.debug("aiola polling link ended: {}", close);
        List<Runnable> run = new ArrayList<>(afterDrain);
        afterDrain.clear();
        run.forEach(Runnable::run);
        listener.onClosed(this, close);
    }

    private void cancelConnectTimer() {
        if (connectTimer != null) {
            connectTimer.cancel(false);
            connectTimer = null;
        }
    }
}
