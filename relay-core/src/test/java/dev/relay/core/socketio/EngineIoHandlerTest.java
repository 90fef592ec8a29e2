package dev.relay.core.socketio;

import static dev.relay.core.socketio.EmbeddedLayers.OPEN_JSON;
import static dev.relay.core.socketio.EmbeddedLayers.bytes;
import static dev.relay.core.socketio.EmbeddedLayers.drained;
import static dev.relay.core.socketio.EmbeddedLayers.nextFrame;
import static dev.relay.core.socketio.EmbeddedLayers.nextText;
import static dev.relay.core.socketio.EmbeddedLayers.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Engine.IO layer alone: WebSocket frames below it, what it passes up recorded above it. */
class EngineIoHandlerTest {
    private final EmbeddedLayers.Events events = new EmbeddedLayers.Events();
    private final EmbeddedChannel ch = new EmbeddedChannel(new EngineIoHandler(), events);

    EngineIoHandlerTest() {
        // The embedded loop's clock follows the wall clock unless frozen: timers move only by advanceTimeBy.
        ch.freezeTime();
    }

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    private void open() {
        ch.writeInbound(text("0" + OPEN_JSON));
        assertThat(events.seen).containsExactly(new EngineOpen("eio1", 1000, 500, 1_000_000));
    }

    @Test
    void passesMessagesUpWithoutTheirPrefixAndBinaryMessagesAsTheyAre() {
        open();
        ch.writeInbound(text("42/ns,[\"transcript\",\"héllo\"]"));
        assertThat((String) ch.readInbound()).isEqualTo("2/ns,[\"transcript\",\"héllo\"]");
        ch.writeInbound(new BinaryWebSocketFrame(bytes("raw bytes")));
        assertThat(drained(ch.readInbound())).isEqualTo("raw bytes");
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(events.closed()).isFalse();
    }

    @Test
    void framesWhatTheLayerAboveWrites() {
        open();
        ch.writeOutbound("2/ns,[\"set_keywords\",{\"a\":\"é\"}]");
        assertThat(nextText(ch)).isEqualTo("42/ns,[\"set_keywords\",{\"a\":\"é\"}]");
        ch.writeOutbound(SocketIoCodec.binaryEventHeader("/ns", "binary_data"));
        assertThat(nextText(ch)).isEqualTo("451-/ns,[\"binary_data\",{\"_placeholder\":true,\"num\":0}]");
        ch.writeOutbound(bytes("pcm"));
        assertThat(nextFrame(ch, BinaryWebSocketFrame.class)).isEqualTo("pcm");
        ch.writeOutbound(new PingWebSocketFrame(bytes("as is")));
        assertThat(nextFrame(ch, PingWebSocketFrame.class)).isEqualTo("as is");
    }

    @Test
    void answersEngineIoAndWebSocketPings() {
        open();
        ch.writeInbound(text("2"));
        assertThat(nextText(ch)).isEqualTo("3");
        ch.writeInbound(new PingWebSocketFrame(bytes("p")));
        assertThat(nextFrame(ch, PongWebSocketFrame.class)).isEqualTo("p");
        ch.writeInbound(text("3"), text("6"), text("5"));
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(events.closed()).isFalse();
    }

    @Test
    void aPingOnlyMovesTheDeadlineAndAMissedOneEndsTheConnection() {
        open(); // pingInterval 1000 + pingTimeout 500: a ping is due within 1500 ms
        ch.advanceTimeBy(1000, TimeUnit.MILLISECONDS);
        ch.writeInbound(text("2"));
        assertThat(nextText(ch)).isEqualTo("3");
        ch.advanceTimeBy(1499, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(events.closed()).as("the ping at 1000 ms holds until 2500 ms").isFalse();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.PING_TIMEOUT,
                "no ping from the server within 1500 ms (pingInterval + pingTimeout)", 0));
        ch.writeInbound(text("2"), text("4late"));
        assertThat(ch.<Object>readOutbound()).as("closed: no pong").isNull();
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "false | ''         | empty Engine.IO packet",
                "false | 2          | ping before the Engine.IO open packet",
                "false | 42[\"x\"]  | Socket.IO packet before the Engine.IO open packet",
                "false | 0not json  | Engine.IO open packet is not JSON",
                "false | 0{}        | Engine.IO open packet without sid",
                "false | 9          | not an Engine.IO packet: \"9\"",
                "true  | 0{\"sid\":\"x\",\"pingInterval\":1,\"pingTimeout\":1} | second Engine.IO open packet",
                "true  | x          | not an Engine.IO packet: \"x\"",
            })
    void whatIsNotEngineIoEndsTheConnectionAsAProtocolError(boolean opened, String packet, String detail) {
        if (opened) {
            open();
        }
        ch.writeInbound(text(packet));
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.PROTOCOL, detail, 0));
        ch.writeInbound(text("4after"), new BinaryWebSocketFrame(bytes("after")));
        assertThat(ch.<Object>readInbound()).as("dropped (and released) once closed").isNull();
    }

    @Test
    void aBinaryMessageBeforeTheOpenPacketIsAProtocolError() {
        ch.writeInbound(new BinaryWebSocketFrame(bytes("early")));
        assertThat(events.close().detail()).isEqualTo("binary message before the Engine.IO open packet");
    }

    @Test
    void whatIsNotAWebSocketFrameIsAProtocolError() {
        ch.writeInbound(bytes("raw"));
        assertThat(events.close().detail()).startsWith("unexpected ");
    }

    @Test
    void anEngineIoCloseIsTheServerDisconnecting() {
        open();
        ch.writeInbound(text("1"));
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.SERVER_DISCONNECT,
                "Engine.IO close from the server", 0));
    }

    @Test
    void aWebSocketCloseIsAnsweredOnceAndIsTheServerDisconnecting() {
        open();
        ch.writeInbound(new CloseWebSocketFrame(1001, "going away"));
        CloseWebSocketFrame answer = ch.readOutbound();
        assertThat(answer.statusCode()).isEqualTo(1000);
        answer.release();
        assertThat(events.close()).isEqualTo(new SocketIoClose(SocketIoClose.Kind.SERVER_DISCONNECT,
                "WebSocket closed by the server (1001 going away)", 0));
    }

    @Test
    void aCloseFrameThisSideSentIsNotSentAgainWhenTheServerAnswers() {
        open();
        ch.writeOutbound(new CloseWebSocketFrame(1000, ""));
        ((WebSocketFrame) ch.readOutbound()).release();
        ch.writeInbound(new CloseWebSocketFrame(1000, ""));
        assertThat(ch.<Object>readOutbound()).isNull();
        assertThat(events.close().detail()).isEqualTo("WebSocket closed by the server (1000)");
    }

    @Test
    void closingTheChannelStopsTheWatchdog() {
        open();
        ch.close();
        ch.advanceTimeBy(10, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(events.closed()).isFalse();
    }
}
