package dev.relay.bench.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.net.Transport;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.NodePeer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fake aiOla server against a client made of the npm {@code ws} client and the socket.io
 * project's reference packet encoders/decoders (test-peers/socketio-client.js): handshake, pings,
 * namespace connect, binary events with their attachments, acks, events pushed to the client, and
 * the refusals a real server gives.
 */
@Timeout(60)
class FakeSocketIoServerTest {
    private static EventLoopGroup group;

    @BeforeAll
    static void loops() {
        group = Transport.group(1);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What the listener saw. */
    private static final class Seen implements FakeSocketIoServer.Listener {
        final List<String> connects = new CopyOnWriteArrayList<>();
        final List<String> chunks = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();
        final List<Long> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public void onConnect(FakeSocketIoServer.Connection c) {
            connects.add(c.query().get("execution_id") + " " + c.header("Authorization"));
            c.tag("tagged");
            c.emit("transcript", "{\"text\":\"hello there\"}");
        }

        @Override
        public void onBinary(FakeSocketIoServer.Connection c, String event, ByteBuf attachment, long arrivalNanos) {
            chunks.add(event + " " + attachment.readableBytes() + " " + attachment.getByte(attachment.readerIndex())
                    + " " + c.tag());
            arrivals.add(arrivalNanos);
        }

        @Override
        public void onEvent(FakeSocketIoServer.Connection c, String event, String json) {
            events.add(event + " " + json);
        }

        @Override
        public void onClose(FakeSocketIoServer.Connection c) {
            closes.add(c.sid());
        }
    }

    @Test
    void referenceClientConnectsStreamsAndEveryAttachmentReachesTheListener() throws Exception {
        Seen seen = new Seen();
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0,
                new FakeSocketIoServer.Options().ping(300, 2000), seen)) {
            long before = System.nanoTime();
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(),
                    "--query", "execution_id=call42&flow_id=f", "--chunks", "5", "--chunk-bytes", "640",
                    "--keywords", "{\"relay\":\"RELAY\"}", "--hold-ms", "1000");

            JsonNode open = NodePeer.first(out, "open").path("handshake");
            assertThat(open.path("sid").asText()).isNotEmpty();
            assertThat(open.path("upgrades").size()).isZero();
            assertThat(open.path("pingInterval").asInt()).isEqualTo(300);
            assertThat(open.path("pingTimeout").asInt()).isEqualTo(2000);
            JsonNode connect = NodePeer.first(out, "connect");
            assertThat(connect.path("nsp").asText()).isEqualTo("/events");
            assertThat(connect.path("sid").asText()).isNotEmpty();
            JsonNode transcript = NodePeer.first(out, "event");
            assertThat(transcript.path("name").asText()).isEqualTo("transcript");
            assertThat(transcript.path("arg").path("text").asText()).isEqualTo("hello there");
            assertThat(NodePeer.first(out, "ack").path("id").asInt()).isEqualTo(7);
            NodePeer.first(out, "ping");
            assertThat(NodePeer.first(out, "close").path("code").asInt()).isEqualTo(1000);

            assertThat(seen.connects).containsExactly("call42 Bearer test-token");
            assertThat(seen.chunks).containsExactly("binary_data 640 0 tagged", "binary_data 640 1 tagged",
                    "binary_data 640 2 tagged", "binary_data 640 3 tagged", "binary_data 640 4 tagged");
            assertThat(seen.arrivals).allSatisfy(t -> assertThat(t).isBetween(before, System.nanoTime()));
            assertThat(seen.events).containsExactly("set_keywords [\"set_keywords\",{\"relay\":\"RELAY\"}]");
            assertThat(fake.stats().binaryEvents()).isEqualTo(5);
            assertThat(fake.stats().binaryBytes()).isEqualTo(5 * 640);
            assertThat(fake.stats().protocolErrors()).isZero();
            Await.until("the close seen", () -> seen.closes.size() == 1);
        }
    }

    @Test
    void pollingTransportIsRefusedWithEngineIoError() throws Exception {
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0, new FakeSocketIoServer.Options(),
                new Seen())) {
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(), "--transport",
                    "polling");
            JsonNode http = NodePeer.first(out, "http");
            assertThat(http.path("status").asInt()).isEqualTo(400);
            assertThat(http.path("body").asText()).contains("Transport unknown");
        }
    }

    @Test
    void engineIoVersion3IsRefused() throws Exception {
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0, new FakeSocketIoServer.Options(),
                new Seen())) {
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(), "--eio", "3");
            JsonNode http = NodePeer.first(out, "http");
            assertThat(http.path("status").asInt()).isEqualTo(400);
            assertThat(http.path("body").asText()).contains("Unsupported protocol version");
        }
    }

    @Test
    void otherNamespaceGetsConnectError() throws Exception {
        Seen seen = new Seen();
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0, new FakeSocketIoServer.Options(), seen)) {
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(), "--namespace",
                    "/event");
            JsonNode error = NodePeer.first(out, "connect_error");
            assertThat(error.path("nsp").asText()).isEqualTo("/event");
            assertThat(error.path("message").asText()).isEqualTo("Invalid namespace");
            assertThat(seen.connects).isEmpty();
        }
    }

    @Test
    void rejectConnectAnswersEveryJoinWithItsMessage() throws Exception {
        Seen seen = new Seen();
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0,
                new FakeSocketIoServer.Options().rejectConnect("Unauthorized"), seen)) {
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(), "--chunks", "2");
            assertThat(NodePeer.first(out, "connect_error").path("message").asText()).isEqualTo("Unauthorized");
            assertThat(seen.connects).isEmpty();
            assertThat(seen.chunks).isEmpty();
        }
    }

    @Test
    void wrongPathIs404() throws Exception {
        try (FakeSocketIoServer fake = FakeSocketIoServer.start(group, 0, new FakeSocketIoServer.Options(),
                new Seen())) {
            List<JsonNode> out = NodePeer.run(20_000, "socketio-client.js", "--url", fake.url(), "--path",
                    "/socket.io/");
            assertThat(NodePeer.first(out, "http").path("status").asInt()).isEqualTo(404);
        }
    }
}
