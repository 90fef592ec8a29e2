package dev.relay.core.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.net.ClientFrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Socket.IO v5 layer of a connection, above {@link EngineIoHandler}, for one namespace. When
 * Engine.IO is open ({@link EngineOpen} event) it joins the namespace ({@code CONNECT} with the auth
 * object); the namespace's answer goes up as a {@link Joined} event; events go up as
 * {@link SocketIoEvent} messages, binary events once all their attachments have come
 * ({@link BinaryAssembly}), and an event that asks for an ack is answered after the layer above
 * handled it. {@code CONNECT_ERROR}, {@code DISCONNECT} and anything that is not Socket.IO end the
 * connection ({@link SocketIoClose} fired up). Packets for other namespaces are ignored. It writes
 * Engine.IO messages: a {@code String} or {@code byte[]} packet, a {@code ByteBuf} attachment.
 *
 * <p>States: {@code AWAITING_OPEN} → {@code JOINING} → {@code CONNECTED} → {@code CLOSED} (left,
 * refused, or the channel closing); events are delivered only while {@code CONNECTED}.
 *
 * <p>Threads: the channel's event loop, for the channel's events and the owner's calls alike; one
 * instance per channel. Releases the binary messages it reads.
 */
final class SocketIoHandler extends ChannelDuplexHandler {
    private static final Logger log = LoggerFactory.getLogger(SocketIoHandler.class);

    /** Fired up when the namespace accepted the client; {@code sid} as the server gave it (may be null). */
    record Joined(String sid) {}

    private enum State {
        AWAITING_OPEN,
        JOINING,
        CONNECTED,
        CLOSED
    }

    private final String namespace;
    private final String authJson;
    private final String host;
    private final BinaryAssembly binary = new BinaryAssembly();
    private ChannelHandlerContext ctx;
    /** The last binary event header and its Engine.IO message form, built once per header. */
    private byte[] messageHeader;
    private byte[] message;
    private State state = State.AWAITING_OPEN;

    SocketIoHandler(SocketIoOptions options) {
        this.namespace = options.namespace();
        this.authJson = options.authJson();
        this.host = options.host();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---- The owner's side (through SocketIoConnection). ----

    boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Writes (without flushing) an event with arguments {@code argsJson}; false when not connected. */
    boolean emit(String argsJson) {
        if (state != State.CONNECTED) {
            return false;
        }
        ctx.write(SocketIoCodec.event(namespace, argsJson), ctx.voidPromise());
        return true;
    }

    /** Writes (without flushing) the constant packet {@code header}, then {@code data}; takes {@code data}. */
    boolean emitBinary(byte[] header, ByteBuf data) {
        if (state != State.CONNECTED) {
            data.release();
            return false;
        }
        ctx.write(header, ctx.voidPromise());
        ctx.write(data, ctx.voidPromise());
        return true;
    }

    /**
     * As {@link #emitBinary}, for an attachment with at least {@link ClientFrameWriter#MAX_HEADER_BYTES}
     * bytes of headroom before its reader index that are the callee's to overwrite (a sink chunk's
     * header, already read): the attachment is framed in place and the packet into a small buffer of
     * its own, both as complete client frames written past {@link EngineIoHandler}, so one flush
     * writes them with one gathering write and nothing copies the audio.
     */
    boolean emitBinaryInPlace(byte[] header, ByteBuf data) {
        if (state != State.CONNECTED) {
            data.release();
            return false;
        }
        if (header != messageHeader) {
            messageHeader = header;
            message = EngineIoHandler.message(header);
        }
        ChannelHandlerContext engine = ctx.pipeline().context(EngineIoHandler.class);
        ByteBuf packet = ctx.alloc().directBuffer(ClientFrameWriter.headerBytes(message.length) + message.length);
        ClientFrameWriter.write(packet, ClientFrameWriter.OPCODE_TEXT, message);
        engine.write(packet, engine.voidPromise());
        engine.write(ClientFrameWriter.frameInPlace(data, ClientFrameWriter.OPCODE_BINARY), engine.voidPromise());
        return true;
    }

    /** Writes (without flushing) the namespace {@code DISCONNECT}; nothing is delivered any more. */
    void leave() {
        if (state == State.CONNECTED) {
            ctx.write(SocketIoCodec.disconnect(namespace), ctx.voidPromise());
        }
        stop();
    }

    // ---- Inbound. ----

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof EngineOpen && state == State.AWAITING_OPEN) {
            state = State.JOINING;
            ctx.writeAndFlush(SocketIoCodec.connect(namespace, authJson));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof String text) {
                if (state != State.CLOSED) {
                    onMessage(text);
                }
            } else if (msg instanceof ByteBuf attachment) {
                try {
                    if (state != State.CLOSED) {
                        onBinary(attachment);
                    }
                } finally {
                    attachment.release();
                }
            } else {
                ctx.fireChannelRead(msg);
            }
        } catch (SocketIoProtocolException e) {
            end(SocketIoClose.Kind.PROTOCOL, e.getMessage());
        }
    }

    private void onMessage(String text) throws SocketIoProtocolException {
        if (binary.waiting()) {
            throw new SocketIoProtocolException("text packet while binary attachments were due");
        }
        SocketIoPacket p = SocketIoCodec.decode(text);
        if (p.binary()) {
            binary.start(p);
            return;
        }
        if (!p.namespace().equals(namespace)) {
            log.debug("socket.io {}: ignoring packet type {} for namespace {}", host, p.type(), p.namespace());
            return;
        }
        switch (p.type()) {
            case SocketIoPacket.CONNECT -> onConnectAnswer(p);
            case SocketIoPacket.CONNECT_ERROR -> onConnectError(p);
            case SocketIoPacket.DISCONNECT -> end(SocketIoClose.Kind.SERVER_DISCONNECT,
                    "the server disconnected namespace " + namespace);
            case SocketIoPacket.EVENT -> deliver(p, List.of());
            default -> {
                // ACK: this client never asks for acknowledgements.
            }
        }
    }

    private void onBinary(ByteBuf content) throws SocketIoProtocolException {
        BinaryAssembly.Complete done = binary.add(content);
        if (done != null && done.packet().type() == SocketIoPacket.BINARY_EVENT
                && done.packet().namespace().equals(namespace)) {
            deliver(done.packet(), done.attachments());
        }
    }

    private void onConnectAnswer(SocketIoPacket p) throws SocketIoProtocolException {
        if (state != State.JOINING) {
            return;
        }
        JsonNode body = SocketIoEvent.json(p.json() == null ? "{}" : p.json());
        state = State.CONNECTED;
        ctx.fireUserEventTriggered(new Joined(body.path("sid").asText(null)));
    }

    private void onConnectError(SocketIoPacket p) throws SocketIoProtocolException {
        JsonNode body = SocketIoEvent.json(p.json());
        String message = body.isTextual() ? body.asText() : body.path("message").asText("");
        JsonNode data = body.path("data");
        String detail = "namespace " + namespace + " refused the client: " + Excerpts.excerpt(message)
                + (data.isMissingNode() || data.isNull() ? "" : " " + Excerpts.excerpt(data.toString()));
        end(SocketIoClose.connectErrorKind(message + " " + data), detail);
    }

    private void deliver(SocketIoPacket p, List<byte[]> attachments) throws SocketIoProtocolException {
        if (state != State.CONNECTED) {
            return;
        }
        ctx.fireChannelRead(SocketIoEvent.of(p, attachments));
        if (p.ackId() >= 0 && state == State.CONNECTED) {
            ctx.writeAndFlush(SocketIoCodec.ack(namespace, p.ackId(), "[]"), ctx.voidPromise());
        }
    }

    // ---- Ending. ----

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        stop();
        ctx.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    private void end(SocketIoClose.Kind kind, String detail) {
        if (state != State.CLOSED) {
            stop();
            ctx.fireUserEventTriggered(new SocketIoClose(kind, detail, 0));
        }
    }

    private void stop() {
        state = State.CLOSED;
        binary.clear();
    }
}
