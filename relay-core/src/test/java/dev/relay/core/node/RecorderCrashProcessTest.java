package dev.relay.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.testing.Sox;
import dev.relay.core.testing.Speech;
import dev.relay.core.testing.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay process killed with SIGKILL mid-call (issue 13 item 4): its recording is a standard WAV
 * whose header is at most one {@code sync-interval} behind the audio on disk, and the next start
 * repairs what a relay left with no header sync at all.
 */
@Timeout(120)
class RecorderCrashProcessTest {
    private static final int BYTES_PER_PACKET = 640; // 20 ms of PCM16 at 16 kHz
    private static final int PCM_HEADER = 44;

    private static WsClient call(RelayProcessFixture relay, String callId) throws Exception {
        WsClient ws = WsClient.connect(relay.wsUrl());
        ws.sendText("{\"event\":\"connected\",\"callId\":\"" + callId + "\"}");
        assertThat(ws.nextText(5000)).contains(callId);
        return ws;
    }

    private static void send(WsClient ws, int from, int to) {
        List<byte[]> speech = Speech.packets();
        for (int i = from; i < to; i++) {
            ws.sendBinary(speech.get(i));
        }
    }

    private static Path recording(Path dir) throws IOException {
        Path recordings = dir.resolve("recordings");
        if (!Files.isDirectory(recordings)) {
            return null;
        }
        try (Stream<Path> files = Files.list(recordings)) {
            return files.filter(f -> f.toString().endsWith(".wav")).findFirst().orElse(null);
        }
    }

    private static long fileBytes(Path dir) {
        try {
            Path wav = recording(dir);
            return wav == null ? -1 : Files.size(wav);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long declaredDataBytes(Path dir) {
        try {
            Path wav = recording(dir);
            return wav == null ? -1 : WavReader.read(Files.readAllBytes(wav)).declaredDataBytes();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void kill(RelayProcessFixture relay) throws Exception {
        relay.signal("KILL");
        assertThat(relay.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aKilledRelayLeavesAHeaderAtMostOneSyncIntervalBehind(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "relay.sinks.recorder.sync-interval = 200ms")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "crash-synced")) {
                send(caller, 0, 150);
                relay.await("3 s synced into the header", () -> declaredDataBytes(dir) == 150L * BYTES_PER_PACKET);
                send(caller, 150, 175);
                relay.await("0.5 s more on disk", () -> fileBytes(dir) == PCM_HEADER + 175L * BYTES_PER_PACKET);
                kill(relay);
            }
        }
        byte[] bytes = Files.readAllBytes(recording(dir));
        WavHeader h = WavReader.read(bytes);
        assertThat(h.truncated()).as("standard sizes, not the streaming placeholders").isFalse();
        assertThat(h.declaredDataBytes()).as("all the audio but at most the last sync interval's")
                .isBetween(150L * BYTES_PER_PACKET, 175L * BYTES_PER_PACKET);
        assertThat(bytes.length - PCM_HEADER).isEqualTo(175 * BYTES_PER_PACKET);
        Sox.duration(recording(dir)).ifPresent(seconds -> assertThat(seconds).isBetween(3.0, 3.5));
    }

    @Test
    void theNextStartRepairsARecordingLeftUnclosed(@TempDir Path dir) throws Exception {
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "relay.sinks.recorder.sync-interval = 1h")) {
            relay.awaitReady();
            try (WsClient caller = call(relay, "crash-unsynced")) {
                send(caller, 0, 100);
                relay.await("2 s on disk", () -> fileBytes(dir) == PCM_HEADER + 100L * BYTES_PER_PACKET);
                kill(relay);
            }
        }
        assertThat(declaredDataBytes(dir)).as("never synced: the placeholder").isEqualTo(0xFFFF_FFFFL);
        try (RelayProcessFixture relay = RelayProcessFixture.start(dir, "")) {
            relay.awaitReady();
            assertThat(Files.readString(relay.log, StandardCharsets.UTF_8)).contains("repaired", "crash-unsynced");
            relay.signal("TERM");
            assertThat(relay.awaitExit()).isZero();
        }
        WavHeader h = WavReader.read(Files.readAllBytes(recording(dir)));
        assertThat(h.truncated()).isFalse();
        assertThat(h.dataLength()).isEqualTo(100 * BYTES_PER_PACKET);
        assertThat(h.durationMs()).isEqualTo(2000);
        Sox.duration(recording(dir)).ifPresent(seconds -> assertThat(seconds).isEqualTo(2.0));
    }
}
