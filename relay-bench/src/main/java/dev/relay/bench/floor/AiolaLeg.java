package dev.relay.bench.floor;

import dev.relay.core.sink.aiola.AiolaConfig;
import dev.relay.core.sink.aiola.ExecutionId;
import dev.relay.core.socketio.SocketIoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A call's aiOla stream, floor style: the WebSocket upgrade with {@code execution_id} (how the
 * fake matches streams to calls) and the JWT header, the Engine.IO open and the namespace connect,
 * answers to the server's pings, then per {@code chunk-ms} one {@code binary_data} event: the
 * constant placeholder text frame and the binary frame of PCM16-sized zeros, in one buffer and one
 * write. Runs on the call's loop.
 */
final class AiolaLeg extends Leg {
    private final AiolaConfig config;
    private final SinkClient client;
    private final byte[] eventHeader;
    private final byte[] namespaceConnect;
    private final byte[] namespaceLeave;

    AiolaLeg(String callId, EventLoop loop, FloorSettings settings, SinkClient client) {
        super(callId, loop, settings.aiola().chunkMs());
        this.config = settings.aiola();
        this.client = client;
        // SocketIoCodec writes Socket.IO packets; the floor has no Engine.IO layer, so it adds the
        // Engine.IO "message" type itself.
        this.eventHeader = engineIoMessage(SocketIoCodec.binaryEventHeader(config.namespace(), "binary_data"));
        this.namespaceConnect = engineIoMessage(ascii(SocketIoCodec.connect(config.namespace(), null)));
        this.namespaceLeave = engineIoMessage(ascii(SocketIoCodec.disconnect(config.namespace())));
    }

    @Override
    void connect() {
        URI server = config.url();
        String scheme = server.getScheme().equalsIgnoreCase("https") || server.getScheme().equalsIgnoreCase("wss")
                ? "wss" : "ws";
        URI url = URI.create(scheme + "://" + server.getHost() + ":" + (server.getPort() > 0 ? server.getPort()
                : scheme.equals("wss") ? 443 : 80) + config.path() + "?EIO=4&transport=websocket&execution_id="
                + URLEncoder.encode(ExecutionId.of(callId), StandardCharsets.UTF_8));
        String jwt = config.token();
        client.webSocket(loop, url, Map.of("Authorization", "Bearer " + jwt, "x-aiola-api-token", jwt),
                new SinkClient.WsListener() {
                    @Override
                    public void upgraded(Channel ch) {
                        // The server speaks first (Engine.IO open).
                    }

                    @Override
                    public void text(Channel ch, String text) {
                        onText(ch, text);
                    }

                    @Override
                    public void failed(String why) {
                        AiolaLeg.this.failed(why);
                    }
                });
    }

    private void onText(Channel ch, String text) {
        if (text.startsWith("0")) {
            send(ch, namespaceConnect);
        } else if (text.startsWith("40")) {
            up(ch);
        } else if (text.equals("2")) {
            send(ch, new byte[] {'3'});
        } else if (text.startsWith("44")) {
            failed("namespace refused: " + text);
        }
    }

    private static void send(Channel ch, byte[] text) {
        ByteBuf out = ch.alloc().directBuffer(text.length + ClientFrames.MAX_HEADER);
        ClientFrames.write(out, ClientFrames.OPCODE_TEXT, text);
        ch.writeAndFlush(out, ch.voidPromise());
    }

    @Override
    void writeChunk(Channel ch, int bytes) {
        ByteBuf out = ch.alloc().directBuffer(eventHeader.length + bytes + 2 * ClientFrames.MAX_HEADER);
        ClientFrames.write(out, ClientFrames.OPCODE_TEXT, eventHeader);
        ClientFrames.writeZeros(out, ClientFrames.OPCODE_BINARY, bytes);
        ch.write(out, ch.voidPromise());
    }

    @Override
    void writeGoodbye(Channel ch) {
        ByteBuf out = ch.alloc().directBuffer(namespaceLeave.length + ClientFrames.MAX_HEADER);
        ClientFrames.write(out, ClientFrames.OPCODE_TEXT, namespaceLeave);
        ch.write(out, ch.voidPromise());
        ch.write(ClientFrames.close(ch.alloc()), ch.voidPromise());
    }

    private static byte[] engineIoMessage(byte[] socketIoPacket) {
        byte[] out = new byte[socketIoPacket.length + 1];
        out[0] = '4';
        System.arraycopy(socketIoPacket, 0, out, 1, socketIoPacket.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
