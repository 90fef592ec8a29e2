package dev.relay.core.socketio;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * A binary packet waiting for its attachments: Socket.IO sends the packet with placeholders in a
 * text frame, then one binary frame per attachment, nothing in between. The bytes are copied out
 * of the frames (which the caller releases); binary events from the server are rare.
 */
final class BinaryAssembly {
    /** socket.io-parser's own default limit. */
    static final int MAX_ATTACHMENTS = 10;

    private SocketIoPacket packet;
    private List<byte[]> parts;

    /** A packet and its attachments, complete. */
    record Complete(SocketIoPacket packet, List<byte[]> attachments) {}

    boolean waiting() {
        return packet != null;
    }

    void start(SocketIoPacket binaryPacket) throws SocketIoProtocolException {
        if (binaryPacket.attachments() > MAX_ATTACHMENTS) {
            throw new SocketIoProtocolException("binary packet with " + binaryPacket.attachments() + " attachments");
        }
        packet = binaryPacket;
        parts = new ArrayList<>(binaryPacket.attachments());
    }

    /** Takes one attachment; the complete packet when it was the last one, else null. */
    Complete add(ByteBuf content) throws SocketIoProtocolException {
        if (packet == null) {
            throw new SocketIoProtocolException("binary frame without a binary packet before it");
        }
        parts.add(ByteBufUtil.getBytes(content));
        if (parts.size() < packet.attachments()) {
            return null;
        }
        Complete done = new Complete(packet, List.copyOf(parts));
        clear();
        return done;
    }

    void clear() {
        packet = null;
        parts = null;
    }
}
