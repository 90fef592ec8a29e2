package dev.relay.core.socketio;

import static dev.relay.core.socketio.EmbeddedLayers.bytes;
import static dev.relay.core.socketio.EmbeddedLayers.drained;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Socket.IO layer alone: Engine.IO messages below it (strings, and buffers for binary
 * messages), what it passes up recorded above it.
 */
class SocketIoHandlerTest {
    private final EmbeddedLayers.Events events = new EmbeddedLayers.Events();
    private final SocketIoHandler handler = new SocketIoHandler(new SocketIoOptions(URI.create("http://127.0.0.1:1"),
            "/sio/", Map.of(), Map.of(), "/ns", "{\"token\":\"t\"}", 1000, null, 1 << 16));
    private final EmbeddedChannel ch = new EmbeddedChannel(handler, events);

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    private void join() {
        ch.pipeline().fireUserEventTriggered(new EngineOpen("eio1", 1000, 500, 1000));
        assertThat((String) ch.readOutbound()).isEqualTo("0/ns,{\"token\":\"t\"}");
        ch.writeInbound("0/ns,{\"sid\":\"ns-sid\"}");
        assertThat(events.seen).last().isEqualTo(new SocketIoHandler.Joined("ns-sid"));
        assertThat(handler.isConnected()).isTrue();
    }

    @Test
    void joinsTheNamespaceOnceEngineIoIsOpen() {
        assertThat(handler.emit("[\"early\"]")).isFalse();
        join();
        assertThat(events.seen).hasSize(2).first().isInstanceOf(EngineOpen.class);
    }

    @Test
    void deliversEventsAndAcknowledgesThemAfterwards() {
        join();
        ch.writeInbound("2/ns,7[\"transcript\",{\"transcript\":\"hi\"}]");
        SocketIoEvent event = ch.readInbound();
        assertThat(event.name()).isEqualTo("transcript");
        assertThat(event.arg(0).path("transcript").asText()).isEqualTo("hi");
        assertThat(event.ackId()).isEqualTo(7);
        assertThat((String) ch.readOutbound()).isEqualTo("3/ns,7[]");
    }

    @Test
    void assemblesABinaryEventFromItsAttachments() {
        join();
        ch.writeInbound("52-/ns,[\"blob\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        ch.writeInbound(bytes("one"));
        assertThat(ch.<Object>readInbound()).as("one attachment still due").isNull();
        ch.writeInbound(bytes("two"));
        SocketIoEvent event = ch.readInbound();
        assertThat(event.name()).isEqualTo("blob");
        assertThat(new String(event.attachment(event.arg(1)), StandardCharsets.UTF_8)).isEqualTo("two");
        assertThat(event.attachments()).hasSize(2);
    }

    @Test
    void ignoresOtherNamespacesAndEventsBeforeTheJoin() {
        ch.pipeline().fireUserEventTriggered(new EngineOpen("eio1", 1000, 500, 1000));
        ch.readOutbound();
        ch.writeInbound("2/ns,[\"too early\"]");
        assertThat(ch.<Object>readInbound()).isNull();
        ch.writeInbound("0/ns,{\"sid\":\"s\"}", "2/other,[\"x\"]", "0/other,{\"sid\":\"o\"}", "3/ns,1[]");
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(events.seen).filteredOn(e -> e instanceof SocketIoHandler.Joined).hasSize(1);
        assertThat(events.closed()).isFalse();
    }

    @Test
    void emitsWhileConnectedAndLeavesOnce() {
        join();
        assertThat(handler.emit("[\"set_keywords\",{}]")).isTrue();
        assertThat(ch.<Object>readOutbound()).as("written, not flushed").isNull();
        ch.flushOutbound();
        assertThat((String) ch.readOutbound()).isEqualTo("2/ns,[\"set_keywords\",{}]");
        byte[] header = SocketIoCodec.binaryEventHeader("/ns", "binary_data");
        assertThat(handler.emitBinary(header, bytes("pcm"))).isTrue();
        ch.flushOutbound();
        assertThat((byte[]) ch.readOutbound()).isEqualTo(header);
        assertThat(drained(ch.readOutbound())).isEqualTo("pcm");
        handler.leave();
        ch.flushOutbound();
        assertThat((String) ch.readOutbound()).isEqualTo("1/ns,");
        ByteBuf late = bytes("late");
        assertThat(handler.emitBinary(header, late)).isFalse();
        assertThat(late.refCnt()).as("released when refused").isZero();
        handler.leave();
        ch.flushOutbound();
        assertThat(ch.<Object>readOutbound()).isNull();
        ch.writeInbound("2/ns,[\"after leaving\"]");
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "4/ns,{\"message\":\"invalid token\"} | AUTH_REFUSED | namespace /ns refused the client: invalid token",
                "4/ns,{\"message\":\"busy\",\"data\":{\"retry\":1}} | REFUSED"
                        + " | namespace /ns refused the client: busy {\"retry\":1}",
                "1/ns,                               | SERVER_DISCONNECT | the server disconnected namespace /ns",
                "2/ns,[]                             | PROTOCOL | event without a name",
                "2/ns,[\"x\"                         | PROTOCOL | payload is not JSON: [\"x\"",
                "9                                   | PROTOCOL | unknown Socket.IO packet type '9'",
            })
    void whatEndsTheNamespace(String packet, SocketIoClose.Kind kind, String detail) {
        join();
        ch.writeInbound(packet);
        assertThat(events.close()).isEqualTo(new SocketIoClose(kind, detail, 0));
        assertThat(handler.isConnected()).isFalse();
    }

    @Test
    void attachmentsMustFollowTheirPacketAndNothingElse() {
        join();
        ch.writeInbound(bytes("unannounced"));
        assertThat(events.close().detail()).isEqualTo("binary frame without a binary packet before it");
    }

    @Test
    void aTextPacketWhileAttachmentsAreDueIsAProtocolError() {
        join();
        ch.writeInbound("51-/ns,[\"blob\",{\"_placeholder\":true,\"num\":0}]", "2/ns,[\"x\"]");
        assertThat(events.close().detail()).isEqualTo("text packet while binary attachments were due");
        ch.writeInbound(bytes("attachment after the end"));
        assertThat(ch.<Object>readInbound()).isNull();
    }
}
