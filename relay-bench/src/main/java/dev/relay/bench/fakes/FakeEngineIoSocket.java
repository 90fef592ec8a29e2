package dev.relay.bench.fakes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO v4 socket on the WebSocket transport carrying Socket.IO v5 packets, server side.
 *
 * <p>Engine.IO text packets are a type digit then data: {@code 0} open (sent by us), {@code 2}
 * ping (sent by us; a client's {@code 2probe} is answered), {@code 3} pong, {@code 4} message,
 * {@code 1} close, {@code 6} noop. A binary WebSocket frame is a binary message. Inside a message,
 * a Socket.IO packet: type digit, for binary types the attachment count and {@code -}, then the
 * namespace and {@code ,} unless it is {@code /}, an optional ack id, and a JSON array.
 *
 * <p>The audio path ({@code 451-/events,["binary_data",{"_placeholder":true,"num":0}]} followed
 * by its attachment) is recognised by a byte comparison, with no parsing or allocation.
 */
final class FakeEngineIoSocket extends SimpleChannelInboundHandler<WebSocketFrame>
        implements FakeSocketIoServer.Connection, ClientFrameReader.BinarySink {
    private static final Logger log = LoggerFactory.getLogger(FakeEngineIoSocket.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String AUDIO_EVENT = "binary_data";

    private final FakeSocketIoServer.Options options;
    private final FakeSocketIoServer.Listener listener;
    private final FakeSocketIoServer.Stats stats;
    private final Map<String, String> query;
    private final Map<String, String> headers;
    private final String sid = newId();
    private final ByteBuf audioHead;
    private final String nspPrefix;
    private ChannelHandlerContext ctx;
    private volatile Object tag;

    private boolean joined;
    private boolean awaitingPong;
    private boolean errorLogged;
    private String pendingEvent;
    private int pendingAttachments;
    private long pendingAck = -1;
    private ScheduledFuture<?> pinger;

    FakeEngineIoSocket(FakeSocketIoServer.Options options, FakeSocketIoServer.Listener listener,
            FakeSocketIoServer.Stats stats, Map<String, String> query, Map<String, String> headers) {
        this.options = options;
        this.listener = listener;
        this.stats = stats;
        this.query = query;
        this.headers = headers;
        this.nspPrefix = options.namespace.equals("/") ? "" : options.namespace + ",";
        this.audioHead = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
                ("451-" + nspPrefix + "[\"" + AUDIO_EVENT + "\",{\"_placeholder\":true,\"num\":0}]")
                        .getBytes(StandardCharsets.US_ASCII)));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /** The WebSocket is up: the Engine.IO open packet, then pings every interval. */
    void open() {
        sendText("0{\"sid\":\"" + sid + "\",\"upgrades\":[],\"pingInterval\":" + options.pingIntervalMs
                + ",\"pingTimeout\":" + options.pingTimeoutMs + ",\"maxPayload\":" + options.maxPayloadBytes + "}");
        pinger = ctx.executor().scheduleAtFixedRate(this::ping, options.pingIntervalMs, options.pingIntervalMs,
                TimeUnit.MILLISECONDS);
    }

    private void ping() {
        if (awaitingPong) {
            protocolError("no pong within the ping timeout");
            ctx.close();
            return;
        }
        awaitingPong = true;
        sendText("2");
        ctx.executor().schedule(() -> {
            if (awaitingPong && ctx.channel().isActive()) {
                protocolError("no pong within " + options.pingTimeoutMs + " ms");
                ctx.close();
            }
        }, options.pingTimeoutMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof BinaryWebSocketFrame) {
            onBinary(frame.content(), System.nanoTime());
        } else if (frame instanceof TextWebSocketFrame) {
            onText(frame.content());
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A binary message: an attachment of the pending binary event (whole ones straight from the reader). */
    @Override
    public void onBinary(ByteBuf content, long arrivalNanos) {
        if (pendingAttachments == 0) {
            protocolError("binary frame without a binary event");
            return;
        }
        pendingAttachments--;
        stats.binaryEvents.increment();
        stats.binaryBytes.add(content.readableBytes());
        listener.onBinary(this, pendingEvent, content, arrivalNanos);
        if (pendingAttachments == 0 && pendingAck >= 0) {
            sendText("43" + nspPrefix + pendingAck + "[]");
            pendingAck = -1;
        }
    }

    private void onText(ByteBuf content) {
        int length = content.readableBytes();
        if (length == 0) {
            protocolError("empty Engine.IO packet");
            return;
        }
        int at = content.readerIndex();
        byte type = content.getByte(at);
        switch (type) {
            case '4' -> onMessage(content, at, length);
            case '3' -> awaitingPong = false;
            case '2' -> sendText("3" + content.toString(at + 1, length - 1, StandardCharsets.UTF_8));
            case '1' -> ctx.close();
            case '6' -> { }
            default -> protocolError("Engine.IO packet type " + (char) type);
        }
    }

    private void onMessage(ByteBuf content, int at, int length) {
        if (joined && pendingAttachments == 0 && length == audioHead.readableBytes()
                && ByteBufUtil.equals(content, at, audioHead, 0, length)) {
            pendingEvent = AUDIO_EVENT;
            pendingAttachments = 1;
            return;
        }
        SocketIoPacket packet = SocketIoPacket.parse(content.toString(at + 1, length - 1, StandardCharsets.UTF_8));
        if (packet == null) {
            protocolError("unparseable Socket.IO packet");
            return;
        }
        if (packet.type() == SocketIoPacket.CONNECT) {
            onConnect(packet);
            return;
        }
        if (!packet.namespace().equals(options.namespace) || !joined) {
            protocolError("packet for namespace " + packet.namespace() + " before joining it");
            return;
        }
        switch (packet.type()) {
            case SocketIoPacket.EVENT -> {
                stats.events.increment();
                listener.onEvent(this, packet.eventName(), packet.json());
                if (packet.ackId() >= 0) {
                    sendText("43" + nspPrefix + packet.ackId() + "[]");
                }
            }
            case SocketIoPacket.BINARY_EVENT -> {
                pendingEvent = packet.eventName();
                pendingAttachments = packet.attachments();
                pendingAck = packet.ackId();
            }
            case SocketIoPacket.DISCONNECT -> ctx.close();
            default -> protocolError("Socket.IO packet type " + packet.type());
        }
    }

    private void onConnect(SocketIoPacket packet) {
        if (!packet.namespace().equals(options.namespace)) {
            sendText("44" + (packet.namespace().equals("/") ? "" : packet.namespace() + ",")
                    + "{\"message\":\"Invalid namespace\"}");
            return;
        }
        if (options.rejectConnect != null) {
            sendText("44" + nspPrefix + "{\"message\":\"" + options.rejectConnect.replace("\"", "'") + "\"}");
            return;
        }
        joined = true;
        stats.connections.increment();
        sendText("40" + nspPrefix + "{\"sid\":\"" + newId() + "\"}");
        listener.onConnect(this);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pinger != null) {
            pinger.cancel(false);
        }
        listener.onClose(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        protocolError(cause.toString());
        ctx.close();
    }

    private void protocolError(String what) {
        stats.protocolErrors.increment();
        if (!errorLogged) {
            errorLogged = true;
            log.warn("fake socket.io sid={} execution_id={}: {}", sid, query.get("execution_id"), what);
        }
    }

    private void sendText(String text) {
        ctx.writeAndFlush(new TextWebSocketFrame(text));
    }

    // ---- Connection ----

    @Override
    public String sid() {
        return sid;
    }

    @Override
    public Map<String, String> query() {
        return query;
    }

    @Override
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public Object tag() {
        return tag;
    }

    @Override
    public void tag(Object tag) {
        this.tag = tag;
    }

    @Override
    public void emit(String event, String json) {
        String text = "42" + nspPrefix + "[\"" + event + "\"," + json + "]";
        ctx.executor().execute(() -> sendText(text));
    }

    @Override
    public void close() {
        ctx.executor().execute(() -> {
            sendText("41" + nspPrefix);
            ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
        });
    }

    private static String newId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
