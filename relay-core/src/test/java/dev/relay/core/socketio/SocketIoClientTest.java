package dev.relay.core.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.relay.core.net.Transport;
import dev.relay.core.testing.NodeProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client on its own against the npm socket.io server: events, acks, binary, every way it ends. */
@Timeout(30)
class SocketIoClientTest {
    private static final String TOKEN = "client-test-token";
    private static EventLoopGroup group;
    private static EventLoop loop;
    private NodeProcess server;
    private int port;
    private final Recorder recorder = new Recorder();

    @BeforeAll
    static void loops() {
        group = Transport.group(1);
        loop = group.next();
    }

    @AfterAll
    static void stopLoops() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private void startServer(String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--token", TOKEN, "--namespace", "/ns", "--path", "/sio/"));
        args.addAll(List.of(more));
        server = NodeProcess.start("aiola-server.js", args.toArray(String[]::new));
        port = server.await("listening", 10_000).path("port").asInt();
    }

    private SocketIoOptions options(int targetPort, String host, long connectTimeoutMs) {
        return new SocketIoOptions(URI.create("http://" + host + ":" + targetPort), "/sio",
                Map.of("execution_id", "client1", "x-aiola-api-token", TOKEN),
                Map.of("Authorization", "Bearer " + TOKEN), "/ns", null, connectTimeoutMs, null, 1 << 16);
    }

    private SocketIoConnection connect(SocketIoOptions options) throws Exception {
        return loop.submit(() -> SocketIoClient.connect(loop, options, recorder)).get(5, TimeUnit.SECONDS);
    }

    private void onLoop(Runnable r) throws Exception {
        loop.submit(r).get(5, TimeUnit.SECONDS);
    }

    @Test
    void joinsTheNamespaceEmitsAndReceivesEventsBinaryAndAcks() throws Exception {
        startServer();
        SocketIoConnection c = connect(options(port, "127.0.0.1", 5000));
        assertThat(recorder.next(5000)).startsWith("connected ");
        assertThat(c.engine().pingIntervalMs()).isEqualTo(25_000);
        assertThat(c.engine().maxPayloadBytes()).isEqualTo(1_000_000);
        JsonNode connect = server.await("connect", 5000);
        assertThat(connect.path("query").path("EIO").asText()).isEqualTo("4");

        byte[] header = SocketIoCodec.binaryEventHeader("/ns", "binary_data");
        onLoop(() -> {
            c.emitBinary(header, Unpooled.wrappedBuffer(new byte[] {1, 2, 3, 4}));
            c.emit("[\"set_keywords\",{\"a\":\"b\"}]");
            c.flush();
        });
        assertThat(server.await("audio", 5000).path("bytes").asInt()).isEqualTo(4);
        assertThat(server.await("keywords", 5000).path("keywords").path("a").asText()).isEqualTo("b");

        // A sink chunk: framed in its own header room, the text packet beside it in one gathering write.
        onLoop(() -> {
            ByteBuf chunk = c.channel().alloc().directBuffer(24 + 3200).writeZero(24).writeZero(3200).readerIndex(24);
            c.emitBinaryInPlace(header, chunk);
            c.flush();
        });
        JsonNode inPlace = server.await("audio", l -> l.path("chunks").asInt() == 2, 5000);
        assertThat(inPlace.path("bytes").asInt()).isEqualTo(3200);
        assertThat(inPlace.path("binary").asBoolean()).isTrue();

        server.send(Map.of("cmd", "emit", "event", "transcript", "args", List.of(Map.of("transcript", "hi")), "ack",
                true));
        assertThat(recorder.next(5000)).isEqualTo("event transcript [{\"transcript\":\"hi\"}] ack=0 attachments=0");
        assertThat(server.await("acked", 5000).path("err").isNull()).isTrue();

        server.send(Map.of("cmd", "emit-binary", "event", "blob", "text", "bytes!"));
        assertThat(recorder.next(5000))
                .isEqualTo("event blob [{\"_placeholder\":true,\"num\":0}] ack=-1 attachments=1:bytes!");

        onLoop(() -> c.close(() -> recorder.events.add("closed")));
        assertThat(recorder.next(5000)).isEqualTo("closed");
        assertThat(server.await("disconnect", 5000).path("reason").asText()).isEqualTo("client namespace disconnect");
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void anEngineIoCloseFromTheServerIsADisconnect() throws Exception {
        startServer();
        connect(options(port, "127.0.0.1", 5000));
        assertThat(recorder.next(5000)).startsWith("connected ");
        server.send(Map.of("cmd", "close"));
        assertThat(recorder.next(5000)).startsWith("closed server_disconnect: WebSocket closed by the server");
    }

    @Test
    void aNamespaceThatNeverAnswersIsAConnectTimeout() throws Exception {
        startServer();
        server.send(Map.of("cmd", "hold"));
        server.await("holding", 5000);
        connect(options(port, "127.0.0.1", 1500));
        assertThat(recorder.next(5000)).isEqualTo("closed connect_timeout: not connected within 1500 ms (joining)");
    }

    @Test
    void aPortWithNothingBehindItIsANetworkFailure() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        connect(options(free, "127.0.0.1", 2000));
        assertThat(recorder.next(5000)).startsWith("closed network: cannot connect to 127.0.0.1:" + free);
    }

    @Test
    void anUnknownHostIsResolvedOffTheLoopAndFailsAsNetwork() throws Exception {
        connect(options(9, "relay-test.invalid", 5000));
        assertThat(recorder.next(10_000)).startsWith("closed network: cannot connect to relay-test.invalid:9")
                .contains("UnknownHost");
    }

    @Test
    void anUpgradeNobodyAnswersEndsWithoutHanging() throws Exception {
        startServer();
        SocketIoOptions wrong = new SocketIoOptions(URI.create("http://127.0.0.1:" + port), "/elsewhere/",
                Map.of("x-aiola-api-token", TOKEN), Map.of("Authorization", "Bearer " + TOKEN), "/ns", null, 3000, null,
                1 << 16);
        connect(wrong);
        // engine.io drops upgrades for paths it does not serve after a second, without a word.
        assertThat(recorder.next(5000)).isEqualTo("closed network: connection closed by the server");
    }

    @Test
    void aRefusedUpgradeCarriesItsStatus() throws Exception {
        startServer("--auth-failure", "403");
        SocketIoOptions noToken = new SocketIoOptions(URI.create("http://127.0.0.1:" + port), "/sio/",
                Map.of(), Map.of(), "/ns", null, 3000, null, 1 << 16);
        connect(noToken);
        assertThat(recorder.next(5000)).isEqualTo("closed auth_refused: upgrade refused with HTTP 403: Forbidden");
    }

    /** Everything the listener hears, as strings, in order. */
    private static final class Recorder implements SocketIoListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        String next(long timeoutMs) throws InterruptedException {
            String e = events.poll(timeoutMs, TimeUnit.MILLISECONDS);
            assertThat(e).as("listener event within %d ms", timeoutMs).isNotNull();
            return e;
        }

        @Override
        public void onConnected(SocketIoConnection connection, String sid) {
            events.add("connected " + sid);
        }

        @Override
        public void onEvent(SocketIoConnection connection, SocketIoEvent event) {
            StringBuilder sb = new StringBuilder("event ").append(event.name()).append(' ').append(event.args())
                    .append(" ack=").append(event.ackId()).append(" attachments=").append(event.attachments().size());
            for (byte[] a : event.attachments()) {
                sb.append(':').append(new String(a, StandardCharsets.UTF_8));
            }
            events.add(sb.toString());
        }

        @Override
        public void onClosed(SocketIoConnection connection, SocketIoClose close) {
            events.add("closed " + close);
        }
    }
}
