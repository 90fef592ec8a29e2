package dev.relay.core.sink.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.wav.WavFormat;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.codec.wav.WavWriter;
import dev.relay.core.RelayServer;
import dev.relay.core.config.RecorderConfig;
import dev.relay.core.config.RelayConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.SinkFactory;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.RelayTestBase;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.TestRelays;
import dev.relay.core.testing.WsClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's files: never overwritten, headers synced while the call is live, unclosed files
 * repaired at start, the queue depth exported, disk errors reported. (A relay process killed with
 * SIGKILL: {@code RecorderCrashProcessTest}.)
 */
@Timeout(60)
class RecorderFilesTest {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private RelayServer start(Path dir, String extra, RecordingFiles.Opener opener) throws Exception {
        RelayConfig config = RelayConfig.from(TestRelays.config("relay.routes.default = [recorder]\n"
                + "relay.sinks.recorder.dir = \"" + dir + "\"\n" + extra));
        SinkFactory recorder = new RecorderSinkFactory(config.recorder(), opener);
        relay = new RelayServer(config, Map.of("recorder", recorder, "memory", new MemorySinkFactory())).start();
        return relay;
    }

    private WsClient register(String callId) throws Exception {
        WsClient ws = WsClient.connect(TestRelays.wsUrl(relay, "/media"));
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private void call(String callId, int packets) throws Exception {
        try (WsClient ws = register(callId)) {
            List<byte[]> speech = Speech.packets();
            for (int i = 0; i < packets; i++) {
                ws.sendBinary(speech.get(i));
            }
            ws.sendClose(1000);
            ws.awaitCloseCode(5000);
        }
    }

    private static List<Path> wavs(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wav")).sorted().toList();
        }
    }

    @Test
    void aNameAlreadyTakenGetsASuffixAndTheOldFileIsKept(@TempDir Path dir) throws Exception {
        // Whatever second the call starts in, its first-choice name is taken already.
        long now = System.currentTimeMillis();
        for (int s = -1; s < 60; s++) {
            Files.writeString(dir.resolve("same-" + STAMP.format(Instant.ofEpochMilli(now + s * 1000L)) + ".wav"),
                    "an earlier recording");
        }
        start(dir, "", RecordingFiles.CREATE_NEW);
        call("same", 50);
        call("same", 60);
        relay.close();
        List<Path> suffixed = wavs(dir).stream().filter(p -> p.getFileName().toString().matches("same-.*-\\d\\.wav"))
                .toList();
        assertThat(suffixed).hasSize(2);
        assertThat(suffixed.stream().map(p -> p.getFileName().toString().replaceAll(".*-(\\d)\\.wav", "$1")))
                .as("the second call in the same second takes the next free suffix, or -2 in a new second")
                .allMatch(n -> n.equals("2") || n.equals("3"));
        long audioBytes = 0;
        for (Path p : suffixed) {
            audioBytes += WavReader.read(Files.readAllBytes(p)).dataLength();
        }
        assertThat(audioBytes).isEqualTo((50 + 60) * 640L);
        for (Path p : wavs(dir)) {
            if (!suffixed.contains(p)) {
                assertThat(Files.readString(p, StandardCharsets.UTF_8)).isEqualTo("an earlier recording");
            }
        }
    }

    @Test
    void twoNamesInOneSecondNeverCollide(@TempDir Path dir) throws Exception {
        RecordingFiles files = new RecordingFiles(dir, RecordingFiles.CREATE_NEW);
        long second = 1_700_000_000_000L;
        RecordingFiles.Created a = files.create("x/y", second);
        RecordingFiles.Created b = files.create("x/y", second + 999);
        a.channel().close();
        b.channel().close();
        assertThat(a.path().getFileName()).hasToString("x_y-20231114-221320.wav");
        assertThat(b.path().getFileName()).hasToString("x_y-20231114-221320-2.wav");
    }

    @Test
    void theHeaderIsSyncedWhileTheCallIsLive(@TempDir Path dir) throws Exception {
        start(dir, "relay.sinks.recorder.sync-interval = 50ms", RecordingFiles.CREATE_NEW);
        try (WsClient ws = register("live")) {
            List<byte[]> speech = Speech.packets();
            for (int i = 0; i < 100; i++) {
                ws.sendBinary(speech.get(i));
            }
            RelayTestBase.waitUntil(() -> headerDataBytes(dir) == 100 * 640L);
            assertThat(ws.isOpen()).isTrue();
            Path wav = wavs(dir).get(0);
            WavHeader h = WavReader.read(Files.readAllBytes(wav));
            assertThat(h.truncated()).isFalse();
            assertThat(h.durationMs()).isEqualTo(2000);
        }
    }

    private static long headerDataBytes(Path dir) {
        try {
            List<Path> files = wavs(dir);
            return files.isEmpty() ? -1 : WavReader.read(Files.readAllBytes(files.get(0))).declaredDataBytes();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void filesLeftUnclosedAreRepairedAtStartButNotOnesStillHeld(@TempDir Path dir) throws Exception {
        Path crashed = unclosed(dir.resolve("crashed-20260101-000000.wav"), 3200);
        Path held = unclosed(dir.resolve("held-20260101-000000.wav"), 640);
        Path closed = dir.resolve("closed-20260101-000000.wav");
        try (WavWriter w = WavWriter.create(closed, WavFormat.PCM16_16K_MONO)) {
            w.write(new byte[64], 0, 64);
        }
        byte[] closedBefore = Files.readAllBytes(closed);
        try (FileChannel writer = FileChannel.open(held, StandardOpenOption.WRITE)) {
            FileLock lock = writer.lock(); // as a live recorder holds its file
            new RecorderSinkFactory(new RecorderConfig(dir, RecorderConfig.Format.PCM16, 10_000)).shutdown(1000);
            lock.release();
        }
        WavHeader h = WavReader.read(Files.readAllBytes(crashed));
        assertThat(h.truncated()).isFalse();
        assertThat(h.dataLength()).isEqualTo(3200);
        assertThat(WavReader.read(Files.readAllBytes(held)).declaredDataBytes()).as("held by a live writer")
                .isEqualTo(0xFFFF_FFFFL);
        assertThat(Files.readAllBytes(closed)).isEqualTo(closedBefore);
    }

    /** A WAV whose writer died before closing it: placeholder sizes. */
    private static Path unclosed(Path file, int dataBytes) throws Exception {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WavWriter w = new WavWriter(channel, WavFormat.PCM16_16K_MONO);
            w.write(new byte[dataBytes], 0, dataBytes);
        }
        return file;
    }

    @Test
    void theQueueDepthCountsFramesTheWriterHasNotTakenAndOverflowDropsTheNewest(@TempDir Path dir)
            throws Exception {
        RecorderSinkFactory factory = new RecorderSinkFactory(
                new RecorderConfig(dir, RecorderConfig.Format.PCM16, 1000), RecordingFiles.CREATE_NEW);
        int held;
        try {
            Sink sink = factory.create(new CallContext("depth", "default", "", 0, new EventBus()));
            AudioSpan frame = new AudioSpan();
            for (int i = 0; i < 10; i++) {
                frame.set(i * 320L, 320, 0, false);
                sink.onAudio(frame);
            }
            assertThat(sink.queueDepth()).as("not opened: the writer has not joined").isEqualTo(10);
            int pushed = 10;
            while (sink.framesDropped() == 0) {
                frame.set(pushed * 320L, 320, 0, false);
                sink.onAudio(frame);
                pushed++;
            }
            held = sink.queueDepth();
            assertThat(held).isEqualTo(pushed - 1).isGreaterThanOrEqualTo(50);
            sink.open(new CallContext("depth", "default", "", 0, new EventBus()));
            RelayTestBase.waitUntil(() -> sink.queueDepth() == 0);
            sink.close("end");
            assertThat(sink.framesIn()).isEqualTo(pushed);
            assertThat(sink.framesDropped()).isEqualTo(1);
        } finally {
            factory.shutdown(5000);
        }
        WavHeader h = WavReader.read(Files.readAllBytes(wavs(dir).get(0)));
        assertThat(h.dataLength()).as("every frame the ring held").isEqualTo(held * 640);
    }

    @Test
    void aFullDiskIsASinkDownEventAndTheCallCarriesOn(@TempDir Path dir) throws Exception {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "needs Linux /dev/full");
        start(dir, "", path -> FileChannel.open(full, StandardOpenOption.WRITE));
        List<CallEvent> events = new CopyOnWriteArrayList<>();
        relay.events().subscribe(events::add);
        call("rec-full", 426);
        RelayTestBase.waitUntil(() -> events.stream().anyMatch(e -> e.type().equals("call.ended")));
        assertThat(events).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo("sink.down");
            assertThat(e.data()).containsEntry("sink", "recorder").containsEntry("retrying", false);
            assertThat((String) e.data().get("reason")).contains("No space left on device");
        });
        CallEvent ended = events.stream().filter(e -> e.type().equals("call.ended")).findFirst().orElseThrow();
        assertThat(ended.data().get("packetsIn")).isEqualTo(426L);
    }
}
