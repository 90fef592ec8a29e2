package dev.relay.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One telephony socket of the floor, after the WebSocket upgrade: reads client frames by their
 * headers alone and never looks inside a media message. The first text message must be the
 * registration ({@code {"event":"connected","callId":"…"}}, the only one parsed), answered as the
 * relay answers it ({@code {"event":"connected","data":{"callId":"…"}}}) while the call's sink
 * connections open; after that every complete data message counts as one inbound frame for each
 * leg. A close frame ends the call: the legs write what is left and close.
 *
 * <p>Replaces Netty's frame decoder, which would build a frame object and unmask a copy of every
 * message. Runs on the socket's event loop; allocates nothing per message once registered.
 */
final class FloorCall extends ByteToMessageDecoder {
    private static final Pattern CALL_ID = Pattern.compile("\"callId\"\\s*:\\s*\"([^\"]{1,128})\"");
    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_TEXT = 0x1;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;
    /** A registration message is small; anything larger before it is refused. */
    private static final int MAX_REGISTRATION_BYTES = 4096;
    /** Largest media message accepted (the relay's {@code max-message-bytes} default). */
    private static final long MAX_MESSAGE_BYTES = 1 << 20;

    /** Makes a call's legs: (call id, context) to the legs, already connecting. */
    private final BiFunction<String, ChannelHandlerContext, List<Leg>> legs;
    private List<Leg> open = List.of();
    private String callId;
    private boolean ended;

    FloorCall(BiFunction<String, ChannelHandlerContext, List<Leg>> legs) {
        this.legs = legs;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!ended && in.readableBytes() >= 2) {
            int at = in.readerIndex();
            int b0 = in.getUnsignedByte(at);
            int b1 = in.getUnsignedByte(at + 1);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
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
            if (length < 0 || length > MAX_MESSAGE_BYTES) {
                refuse(ctx, 1009, "message too big");
                return;
            }
            int maskAt = at + header;
            if (masked) {
                header += 4;
            }
            if (in.readableBytes() < header + length) {
                return;
            }
            int payloadAt = at + header;
            int n = (int) length;
            switch (opcode) {
                case OPCODE_TEXT, OPCODE_BINARY, OPCODE_CONTINUATION -> {
                    if (callId == null) {
                        register(ctx, in, payloadAt, n, masked ? in.getInt(maskAt) : 0, opcode);
                    } else if (fin) {
                        for (Leg leg : open) {
                            leg.onFrame();
                        }
                    }
                }
                case OPCODE_CLOSE -> {
                    in.skipBytes(header + n);
                    end();
                    ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                case OPCODE_PING -> ctx.writeAndFlush(new PongWebSocketFrame());
                default -> { }
            }
            in.skipBytes(header + n);
        }
        if (ended) {
            in.skipBytes(in.readableBytes());
        }
    }

    private void register(ChannelHandlerContext ctx, ByteBuf in, int at, int length, int mask, int opcode) {
        if (opcode != OPCODE_TEXT || length > MAX_REGISTRATION_BYTES) {
            refuse(ctx, 1008, "registration expected");
            return;
        }
        byte[] text = new byte[length];
        for (int i = 0; i < length; i++) {
            text[i] = (byte) (in.getByte(at + i) ^ (mask >>> (24 - ((i & 3) << 3))));
        }
        Matcher m = CALL_ID.matcher(new String(text, StandardCharsets.UTF_8));
        if (!m.find()) {
            refuse(ctx, 1008, "registration expected");
            return;
        }
        callId = m.group(1);
        ctx.writeAndFlush(new TextWebSocketFrame("{\"event\":\"connected\",\"data\":{\"callId\":\"" + callId + "\"}}"));
        open = new ArrayList<>(legs.apply(callId, ctx));
    }

    private void refuse(ChannelHandlerContext ctx, int code, String why) {
        end();
        ctx.writeAndFlush(new CloseWebSocketFrame(code, why)).addListener(ChannelFutureListener.CLOSE);
    }

    private void end() {
        if (!ended) {
            ended = true;
            for (Leg leg : open) {
                leg.end();
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        end();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        end();
        ctx.close();
    }
}
