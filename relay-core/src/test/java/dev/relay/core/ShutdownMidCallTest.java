package dev.relay.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.testing.Await;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the relay under a live call loses nothing the relay had taken in: every frame reaches
 * every sink (the recorder's file complete, with its final header), the caller is told 1001 and
 * the call ends with its counts.
 */
@Timeout(60)
class ShutdownMidCallTest {
    private static final int PACKETS = 200;

    @Test
    void aLiveCallShutDownMidStreamLosesNoFrameAtAnySink(@TempDir Path dir) throws Exception {
        RelayConfig config = RelayConfig.from(TestRelays.config("relay.routes.default = [recorder, memory]\n"
                + "relay.sinks.recorder.dir = \"" + dir.toString().replace("\\", "/") + "\"\n"));
        MemorySinkFactory memory = new MemorySinkFactory();
        RelayServer relay = TestRelays.startWithStandardSinks(config, memory);
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        try (WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"))) {
            ws.sendText("{\"event\":\"connected\",\"callId\":\"stop-1\"}");
            assertThat(ws.nextText(5000)).contains("stop-1");
            List<byte[]> packets = Speech.packets();
            for (int i = 0; i < PACKETS; i++) {
                ws.sendBinary(packets.get(i));
            }
            MemorySink sink = memory.await("stop-1", 5000);
            Await.until("every packet through the pipeline", () -> sink.framesIn() == PACKETS);
            // Mid-stream: the caller has not hung up, the recorder may still be writing.
            relay.close();
            assertThat(ws.awaitCloseCode(10_000)).isEqualTo(1001);
        }
        CallEvent ended = Await.value("call.ended", Await.DEFAULT_TIMEOUT,
                () -> events.stream().filter(e -> e.type().equals("call.ended")).findFirst().orElse(null),
                () -> events);
        assertThat(ended.data()).containsEntry("packetsIn", (long) PACKETS).containsEntry("framesOut", (long) PACKETS);
        Path wav;
        try (Stream<Path> files = Files.list(dir)) {
            wav = files.filter(f -> f.toString().endsWith(".wav")).findFirst().orElseThrow();
        }
        byte[] file = Files.readAllBytes(wav);
        ByteBuffer header = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int dataBytes = PACKETS * 320 * 2;
        assertThat(file.length).as("every frame in the recording").isEqualTo(44 + dataBytes);
        assertThat(header.getInt(4)).as("RIFF size").isEqualTo(file.length - 8);
        assertThat(header.getInt(40)).as("data size").isEqualTo(dataBytes);
    }
}
