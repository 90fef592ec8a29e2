package dev.relay.core.socketio;

import static dev.relay.core.socketio.EmbeddedLayers.OPEN_JSON;
import static dev.relay.core.socketio.EmbeddedLayers.bytes;
import static dev.relay.core.socketio.EmbeddedLayers.nextFrame;
import static dev.relay.core.socketio.EmbeddedLayers.nextText;
import static dev.relay.core.socketio.EmbeddedLayers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layers together above the WebSocket codec, as the owner and the listener see them: one
 * report per ending, whichever layer ends it, and the owner's writes framed all the way down.
 */
class SocketIoConnectionTest {
    /** Shorter than the ping window (1500 ms), so that the connect timeout comes first. */
    private static final long CONNECT_TIMEOUT_MS = 1000;

    private final List<String> heard = new ArrayList<>();
    private final SocketIoOptions options = new SocketIoOptions(URI.create("http://127.0.0.1:1"), "/sio/", Map.of(),
            Map.of(), "/ns", null, CONNECT_TIMEOUT_MS, null, 1 << 16);
    private final SocketIoHandler socketIo = new SocketIoHandler(options);
    private final SocketIoConnection connection = new SocketIoConnection(options, new SocketIoListener() {
        @Override
        public void onConnected(SocketIoConnection c, String sid) {
            heard.add("connected " + sid);
        }

        @Override
        public void onEvent(SocketIoConnection c, SocketIoEvent event) {
            heard.add("event " + event.name() + " " + event.args());
        }

        @Override
        public void onClosed(SocketIoConnection c, SocketIoClose close) {
            heard.add("closed " + close);
        }
    }, socketIo);
    private final EmbeddedChannel ch = new EmbeddedChannel(new EngineIoHandler(), socketIo, connection);

    SocketIoConnectionTest() {
        // The embedded loop's clock follows the wall clock unless frozen: timers move only by advanceTimeBy.
        ch.freezeTime();
        connection.started(ch.newSucceededFuture());
    }

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    private void connect() {
        ch.writeInbound(text("0" + OPEN_JSON));
        assertThat(nextText(ch)).isEqualTo("40/ns,");
        ch.writeInbound(text("40/ns,{\"sid\":\"s1\"}"));
        assertThat(heard).containsExactly("connected s1");
        assertThat(connection.isConnected()).isTrue();
        assertThat(connection.engine().pingIntervalMs()).isEqualTo(1000);
    }

    @Test
    void joinsDeliversAndReportsTheServersDisconnectOnce() {
        connect();
        ch.writeInbound(text("42/ns,[\"transcript\",{\"transcript\":\"hi\"}]"));
        ch.writeInbound(text("41/ns,"), text("42/ns,[\"after\"]"));
        assertThat(heard).containsExactly("connected s1", "event transcript [{\"transcript\":\"hi\"}]",
                "closed server_disconnect: the server disconnected namespace /ns");
        assertThat(ch.isOpen()).isFalse();
        assertThat(connection.isConnected()).isFalse();
    }

    @Test
    void theOwnersWritesAreFramedAllTheWayDown() {
        connect();
        byte[] header = SocketIoCodec.binaryEventHeader("/ns", "binary_data");
        assertThat(connection.emitBinary(header, bytes("pcm"))).isTrue();
        assertThat(connection.emit("[\"set_keywords\",{}]")).isTrue();
        connection.flush();
        assertThat(nextText(ch)).isEqualTo("451-/ns,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]");
        assertThat(nextFrame(ch, BinaryWebSocketFrame.class)).isEqualTo("pcm");
        assertThat(nextText(ch)).isEqualTo("42/ns,[\"set_keywords\",{}]");
    }

    @Test
    void whenWrittenWaitsForTheWritesWithoutSendingAMessage() {
        connect();
        boolean[] ran = {false};
        connection.emit("[\"x\"]");
        connection.whenWritten(() -> ran[0] = true);
        assertThat(ran[0]).isTrue();
        assertThat(nextText(ch)).isEqualTo("42/ns,[\"x\"]");
        ByteBuf marker = ch.readOutbound();
        assertThat(marker.readableBytes()).as("an empty buffer below Engine.IO, not a binary message").isZero();
        marker.release();
    }

    @Test
    void closeLeavesTheNamespaceClosesTheWebSocketAndReportsNothing() {
        connect();
        boolean[] closed = {false};
        connection.close(() -> closed[0] = true);
        assertThat(nextText(ch)).isEqualTo("41/ns,");
        CloseWebSocketFrame close = ch.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1000);
        close.release();
        ch.runPendingTasks();
        assertThat(closed[0]).isTrue();
        assertThat(heard).containsExactly("connected s1");
        ByteBuf late = bytes("late");
        assertThat(connection.emitBinary(new byte[] {'x'}, late)).isFalse();
        assertThat(late.refCnt()).isZero();
    }

    @Test
    void theConnectTimeoutNamesWhereTheConnectionGotTo() {
        ch.writeInbound(text("0" + OPEN_JSON));
        ch.advanceTimeBy(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(heard).containsExactly("closed connect_timeout: not connected within 1000 ms (joining)");
    }

    @Test
    void theConnectTimeoutBeforeTheOpenPacketSaysOpening() {
        ch.advanceTimeBy(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(heard).containsExactly("closed connect_timeout: not connected within 1000 ms (opening)");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void aMissedPingAfterTheJoinIsAPingTimeout() {
        connect();
        ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(heard).containsExactly("connected s1",
                "closed ping_timeout: no ping from the server within 1500 ms (pingInterval + pingTimeout)");
    }

    @Test
    void aBrokenFrameFromTheCodecIsAProtocolError() {
        connect();
        ch.pipeline().fireExceptionCaught(new CorruptedWebSocketFrameException(
                WebSocketCloseStatus.PROTOCOL_ERROR, "fragmented control frame"));
        assertThat(heard).last().isEqualTo(
                "closed protocol: bad WebSocket frame (CorruptedWebSocketFrameException: fragmented control frame)");
    }

    @Test
    void theChannelClosingUnderAConnectedConnectionIsTheServerDisconnecting() {
        connect();
        ch.pipeline().fireChannelInactive();
        assertThat(heard).last().isEqualTo("closed server_disconnect: connection closed by the server");
    }
}
