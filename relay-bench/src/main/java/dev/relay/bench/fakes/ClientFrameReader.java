package dev.relay.bench.fakes;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;

/**
 * The fakes' WebSocket frame reader for what clients send (masked frames, RFC 6455 §5.2), in place
 * of Netty's decoder on the audio path: a complete binary message is unmasked where it lies and
 * handed to a {@link BinarySink} as a view of the read buffer, with no frame object, slice or copy,
 * so a fake sink allocates nothing per audio message. Every other frame (text, fragments, close,
 * ping, pong) becomes the usual Netty frame object for the handlers behind, one per decode pass so
 * that order is kept (a Socket.IO binary event's text header reaches its handler before the
 * attachment that follows it). An unmasked frame or a reserved bit closes with 1002, a message over
 * the limit with 1009.
 *
 * <p>One per connection; runs on its event loop.
 */
final class ClientFrameReader extends ByteToMessageDecoder {
    /** Receives each complete binary message. */
    interface BinarySink {
        /**
         * @param payload the unmasked message, readable from its reader index to its writer index;
         *     valid only during the call (a view of the read buffer: not to be retained or released)
         * @param arrivalNanos {@link System#nanoTime()} when the bytes were read
         */
        void onBinary(ByteBuf payload, long arrivalNanos);
    }

    private final int maxPayloadBytes;
    private final BinarySink sink;
    private boolean closing;

    ClientFrameReader(int maxPayloadBytes, BinarySink sink) {
        this.maxPayloadBytes = maxPayloadBytes;
        this.sink = sink;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (closing) {
            in.skipBytes(in.readableBytes());
            return;
        }
        long arrivalNanos = System.nanoTime();
        while (in.readableBytes() >= 2) {
            int at = in.readerIndex();
            int b0 = in.getUnsignedByte(at);
            int b1 = in.getUnsignedByte(at + 1);
            long length = b1 & 0x7F;
            int header = 2;
            if (length == 126) {
                if (in.readableBytes() < 4) {
                    return;
                }
                length = in.getUnsignedShort(at + 2);
                header = 4;
            } else if (length == 127) {
                if (in.readableBytes() < 10) {
                    return;
                }
                length = in.getLong(at + 2);
                header = 10;
            }
            if ((b1 & 0x80) == 0 || (b0 & 0x70) != 0) {
                close(ctx, in, 1002, "masked frames without reserved bits expected");
                return;
            }
            if (length < 0 || length > maxPayloadBytes) {
                close(ctx, in, 1009, "message too big");
                return;
            }
            int n = (int) length;
            if (in.readableBytes() < header + 4 + n) {
                return;
            }
            int payloadAt = at + header + 4;
            unmask(in, payloadAt, n, in.getInt(at + header));
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            if (fin && opcode == 0x2) {
                int writer = in.writerIndex();
                in.setIndex(payloadAt, payloadAt + n);
                try {
                    sink.onBinary(in, arrivalNanos);
                } finally {
                    in.setIndex(payloadAt + n, writer);
                }
                continue;
            }
            if (opcode > 0x2 && opcode < 0x8 || opcode > 0xA) {
                close(ctx, in, 1002, "unknown opcode " + opcode);
                return;
            }
            ByteBuf payload = in.retainedSlice(payloadAt, n);
            in.readerIndex(payloadAt + n);
            out.add(switch (opcode) {
                case 0x0 -> new ContinuationWebSocketFrame(fin, 0, payload);
                case 0x1 -> new TextWebSocketFrame(fin, 0, payload);
                case 0x2 -> new BinaryWebSocketFrame(false, 0, payload);
                case 0x8 -> new CloseWebSocketFrame(true, 0, payload);
                case 0x9 -> new PingWebSocketFrame(payload);
                default -> new PongWebSocketFrame(payload);
            });
            // One object per pass: the handlers see it before anything that follows it.
            return;
        }
    }

    /** XORs the mask over {@code n} bytes at {@code at}, eight at a time. */
    private static void unmask(ByteBuf in, int at, int n, int mask) {
        long mask64 = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            in.setLong(at + i, in.getLong(at + i) ^ mask64);
        }
        for (; i < n; i++) {
            in.setByte(at + i, in.getByte(at + i) ^ (mask >>> (24 - ((i & 3) << 3))));
        }
    }

    private void close(ChannelHandlerContext ctx, ByteBuf in, int code, String reason) {
        closing = true;
        in.skipBytes(in.readableBytes());
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }
}
