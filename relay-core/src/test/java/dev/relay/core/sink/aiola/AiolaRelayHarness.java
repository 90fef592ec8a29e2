package dev.relay.core.sink.aiola;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.RelayServer;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;

/**
 * A relay whose default route is {@code [aiola, memory]}, pointed at an {@link AiolaServer}, with
 * fast reconnects; records every call event. Tests stream the reference speech clip through it.
 */
abstract class AiolaRelayHarness {
    static final List<byte[]> PACKETS = Speech.packets();
    /** Bytes of PCM16 16 kHz one 20 ms RTP packet becomes. */
    static final int FRAME_BYTES = 640;

    final MemorySinkFactory memory = new MemorySinkFactory();
    final List<CallEvent> events = new CopyOnWriteArrayList<>();
    RelayServer relay;
    AiolaSinkFactory factory;

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
    }

    /** Starts the relay with the server's URL and token, then {@code extra} HOCON on top. */
    RelayServer startRelay(AiolaServer server, String extra) throws Exception {
        return startRelay(server.url(), "relay.sinks.aiola.token = \"" + AiolaServer.TOKEN + "\"\n" + extra, null);
    }

    RelayServer startRelay(String url, String extra, SslContext ssl) throws Exception {
        // aiola first: once the memory sink has a frame, the aiola sink has had it too.
        String overrides = "relay.routes.default = [aiola, memory]\n"
                + "relay.sinks.aiola.url = \"" + url + "\"\n"
                + "relay.sinks.aiola.reconnect.initial = 50ms\n"
                + "relay.sinks.aiola.reconnect.max = 200ms\n"
                + "relay.sinks.aiola.connect-timeout = 3s\n"
                + "relay.sinks.aiola.close-linger = 200ms\n"
                + extra;
        AiolaConfig config = AiolaConfig.from(RelayConfig.from(TestRelays.config(overrides)));
        factory = ssl == null ? new AiolaSinkFactory(config) : new AiolaSinkFactory(config, ssl);
        relay = TestRelays.start(overrides, memory, Map.<String, SinkFactory>of("aiola", factory));
        relay.events().subscribe(events::add);
        return relay;
    }

    WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    static void sendPackets(WsClient ws, int from, int to) {
        for (int i = from; i < to; i++) {
            ws.sendBinary(PACKETS.get(i));
        }
    }

    static void hangUp(WsClient ws) throws Exception {
        ws.sendClose(1000);
        ws.awaitCloseCode(5000);
        ws.close();
    }

    /** Waits until the memory sink of {@code callId} holds {@code frames} frames. */
    void awaitFrames(String callId, int frames) throws Exception {
        MemorySinkFactory.MemorySink sink = memory.await(callId, 5000);
        Await.until("memory sink frames " + frames, Duration.ofSeconds(10), () -> sink.framesIn() >= frames);
    }

    /** What the pipeline produced for {@code callId}, as PCM16 LE bytes. */
    byte[] pipelineBytes(String callId) throws Exception {
        return le(memory.await(callId, 5000).samples());
    }

    /** Asserts equal PCM, describing the first difference in 20 ms frames when not. */
    static void assertSameAudio(byte[] received, byte[] expected) {
        int n = Math.min(received.length, expected.length);
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (received[i] != expected[i]) {
                first = i;
                break;
            }
        }
        assertThat(first == -1 && received.length == expected.length)
                .as("received %d bytes (%d frames), expected %d (%d frames); first difference at frame %s",
                        received.length, received.length / FRAME_BYTES, expected.length, expected.length / FRAME_BYTES,
                        first < 0 ? "none" : String.valueOf(first / FRAME_BYTES))
                .isTrue();
    }

    static byte[] le(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(samples);
        return b.array();
    }

    static short[] samples(byte[] le) {
        short[] s = new short[le.length / 2];
        ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        return s;
    }

    /** The first event of {@code type} for {@code callId} matching {@code match}, waiting up to 10 s. */
    CallEvent awaitEvent(String type, String callId, Predicate<CallEvent> match) throws InterruptedException {
        return Await.value("a matching " + type + " event for " + callId, Duration.ofSeconds(10),
                () -> events.stream().filter(e -> e.type().equals(type) && e.callId().equals(callId) && match.test(e))
                        .findFirst().orElse(null),
                () -> events);
    }

    CallEvent awaitEvent(String type, String callId) throws InterruptedException {
        return awaitEvent(type, callId, e -> true);
    }

    List<CallEvent> events(String type, String callId) {
        return events.stream().filter(e -> e.type().equals(type) && e.callId().equals(callId)).toList();
    }
}
