package dev.relay.bench.fakes;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.base64.Base64;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * One upload connection of {@link FakeSessionStream}: detects the wire from the first data frame
 * (binary → raw PCM, text → envelope), hands each audio message to the session and the listener,
 * and plays the connection-level faults (die after N frames, stall). Envelope messages are scanned
 * for the few fields the fake needs (event, timestamp, payload) without building a JSON tree, so
 * thousands of sessions cost little; only {@code start} is kept as text.
 */
final class FakeUploadHandler extends SimpleChannelInboundHandler<WebSocketFrame>
        implements ClientFrameReader.BinarySink {
    private static final byte[] EVENT = ascii("\"event\":");
    private static final byte[] TIMESTAMP = ascii("\"timestamp\":");
    private static final byte[] PAYLOAD = ascii("\"payload\":");
    private static final byte[] MEDIA = ascii("media\"");

    private final FakeSessionStream server;
    private final FakeSession session;
    private int connection;
    private long framesHere;
    private ChannelHandlerContext ctx;

    FakeUploadHandler(FakeSessionStream server, FakeSession session) {
        this.server = server;
        this.session = session;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        connection = session.connected();
        server.uploadOpened(ctx.channel());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        session.disconnected();
        super.channelInactive(ctx);
    }

    /** A raw-wire audio message, straight from the frame reader. */
    @Override
    public void onBinary(ByteBuf pcm, long arrivalNanos) {
        session.wire(FakeSession.Wire.RAW);
        deliver(ctx, pcm, pcm.readerIndex(), pcm.readableBytes(), -1, arrivalNanos);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        long arrivalNanos = System.nanoTime();
        if (frame instanceof BinaryWebSocketFrame) {
            // A fragment of a binary message (whole messages come through onBinary).
            onBinary(frame.content(), arrivalNanos);
        } else if (frame instanceof TextWebSocketFrame) {
            session.wire(FakeSession.Wire.ENVELOPE);
            envelope(ctx, frame.content(), arrivalNanos);
        } else if (frame instanceof CloseWebSocketFrame close) {
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0 ? 1000 : close.statusCode(), ""))
                    .addListener(ChannelFutureListener.CLOSE);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        }
    }

    private void envelope(ChannelHandlerContext ctx, ByteBuf text, long arrivalNanos) {
        int eventAt = valueStart(text, EVENT);
        if (eventAt >= 0 && startsWith(text, eventAt, MEDIA)) {
            // The hot case, without a String.
            media(ctx, text, arrivalNanos);
            return;
        }
        String event = stringAfter(text, EVENT);
        if (event == null) {
            server.countBadMessage();
            return;
        }
        switch (event) {
            case "media" -> media(ctx, text, arrivalNanos);
            case "start" -> {
                session.event(event);
                session.start(text.toString(StandardCharsets.UTF_8));
            }
            case "stop" -> {
                session.event(event);
                session.stop();
            }
            default -> session.event(event);
        }
    }

    private void media(ChannelHandlerContext ctx, ByteBuf text, long arrivalNanos) {
        int at = valueStart(text, PAYLOAD);
        int end = at < 0 ? -1 : text.indexOf(at, text.writerIndex(), (byte) '"');
        if (end < 0) {
            server.countBadMessage();
            return;
        }
        long timestamp = numberAfter(text, TIMESTAMP);
        ByteBuf pcm = Base64.decode(text, at, end - at);
        try {
            session.timestamp(timestamp);
            deliver(ctx, pcm, pcm.readerIndex(), pcm.readableBytes(), timestamp, arrivalNanos);
        } finally {
            pcm.release();
        }
    }

    private static boolean startsWith(ByteBuf text, int at, byte[] literal) {
        if (at + literal.length > text.writerIndex()) {
            return false;
        }
        for (int i = 0; i < literal.length; i++) {
            if (text.getByte(at + i) != literal[i]) {
                return false;
            }
        }
        return true;
    }

    private void deliver(ChannelHandlerContext ctx, ByteBuf pcm, int index, int length, long timestampMs,
            long arrivalNanos) {
        long offset = session.audio(pcm, index, length);
        FakeSessionStream.AudioListener listener = server.listener();
        if (listener != null) {
            // The whole buffer is the audio on both wires: no slice object per message.
            ByteBuf audio = index == pcm.readerIndex() && length == pcm.readableBytes() ? pcm
                    : pcm.slice(index, length);
            listener.onAudio(session, offset, timestampMs, audio, arrivalNanos);
        }
        framesHere++;
        int dieAfter = server.dieAfterFrames();
        if (dieAfter > 0 && connection == 1 && framesHere == dieAfter) {
            // The server "dies": no close frame, the TCP connection just goes.
            ctx.channel().close();
        }
    }

    /** Index just past {@code key} and an opening quote, or -1. */
    private static int valueStart(ByteBuf text, byte[] key) {
        int at = indexAfter(text, key);
        if (at < 0) {
            return -1;
        }
        while (at < text.writerIndex() && text.getByte(at) == ' ') {
            at++;
        }
        return at < text.writerIndex() && text.getByte(at) == '"' ? at + 1 : -1;
    }

    private static String stringAfter(ByteBuf text, byte[] key) {
        int at = valueStart(text, key);
        int end = at < 0 ? -1 : text.indexOf(at, text.writerIndex(), (byte) '"');
        return end < 0 ? null : text.toString(at, end - at, StandardCharsets.US_ASCII);
    }

    /** The digits after {@code key} (quoted or not), or -1. */
    private static long numberAfter(ByteBuf text, byte[] key) {
        int at = indexAfter(text, key);
        if (at < 0) {
            return -1;
        }
        while (at < text.writerIndex() && (text.getByte(at) == '"' || text.getByte(at) == ' ')) {
            at++;
        }
        long v = 0;
        int digits = 0;
        for (; at < text.writerIndex() && digits < 18; at++, digits++) {
            byte c = text.getByte(at);
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
        }
        return digits == 0 ? -1 : v;
    }

    private static int indexAfter(ByteBuf text, byte[] key) {
        int last = text.writerIndex() - key.length;
        outer:
        for (int i = text.readerIndex(); i <= last; i++) {
            for (int k = 0; k < key.length; k++) {
                if (text.getByte(i + k) != key[k]) {
                    continue outer;
                }
            }
            return i + key.length;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
