package dev.relay.core.socketio;

import static dev.relay.core.socketio.EmbeddedLayers.drained;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upgrade alone, behind Netty's HTTP client codec: the request, each kind of answer, what follows. */
class WebSocketUpgradeTest {
    private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: *(\\S+)");

    private final EmbeddedLayers.Events events = new EmbeddedLayers.Events();
    private final EmbeddedChannel ch = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(4096),
            new WebSocketUpgrade(new SocketIoOptions(URI.create("http://127.0.0.1:9"), "/sio/",
                    Map.of("execution_id", "e1"), Map.of("Authorization", "Bearer t"), "/ns", null, 1000, null,
                    1 << 16)),
            events);

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    /** The upgrade request the handler sent when the channel became active. */
    private String request() {
        ByteBuf out = ch.readOutbound();
        return drained(out);
    }

    private void respond(String response) {
        ch.writeInbound(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1));
        ch.runPendingTasks();
    }

    @Test
    void sendsTheEngineIoUpgradeWithTheOptionsHeaders() {
        String request = request();
        assertThat(request).startsWith("GET /sio/?EIO=4&transport=websocket&execution_id=e1 HTTP/1.1\r\n")
                .containsIgnoringCase("upgrade: websocket").contains("Authorization: Bearer t");
    }

    @Test
    void aRefusalEndsTheConnectionWithItsStatusAndBody() {
        request();
        respond("HTTP/1.1 403 Forbidden\r\ncontent-length: 9\r\n\r\nForbidden");
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.AUTH_REFUSED,
                "upgrade refused with HTTP 403: Forbidden", 403));
    }

    @Test
    void anotherStatusIsARefusalThatMayBeRetried() {
        request();
        respond("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.REFUSED,
                "upgrade refused with HTTP 503", 503));
    }

    @Test
    void aWrongAcceptIsAProtocolError() {
        request();
        respond("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-accept: d3Jvbmc=\r\n\r\n");
        SocketIoClose close = events.close();
        assertThat(close.kind()).isEqualTo(SocketIoClose.Kind.PROTOCOL);
        assertThat(close.detail()).startsWith("bad upgrade response (");
        assertThat(close.httpStatus()).isEqualTo(101);
    }

    @Test
    void anUpgradeHandsWholeFramesToTheNextLayerAndLeaves() throws Exception {
        Matcher key = KEY.matcher(request());
        assertThat(key.find()).isTrue();
        respond("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
                + "sec-websocket-accept: " + accept(key.group(1)) + "\r\n\r\n");
        assertThat(ch.pipeline().get(WebSocketUpgrade.class)).isNull();
        assertThat(ch.pipeline().get("ws-aggregator")).isNotNull();
        // A server's text message in two fragments: FIN off "0{", then a FIN continuation "}".
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01, 2, '0', '{', (byte) 0x80, 1, '}'}));
        TextWebSocketFrame frame = ch.readInbound();
        assertThat(frame.text()).isEqualTo("0{}");
        frame.release();
        assertThat(events.closed()).isFalse();
    }

    private static String accept(String key) throws Exception {
        byte[] sha1 = MessageDigest.getInstance("SHA-1")
                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha1);
    }
}
