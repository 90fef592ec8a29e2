package dev.relay.codec.wav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unclosed streaming WAVs get sizes from their length; closed files and strangers are left alone. */
class WavRepairTest {
    @TempDir
    Path dir;

    /** A streaming write of {@code dataBytes} that was never closed (a killed process). */
    private Path unclosed(String name, WavFormat format, int dataBytes, boolean synced) throws IOException {
        Path file = dir.resolve(name);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        WavWriter w = new WavWriter(channel, format);
        byte[] data = new byte[dataBytes];
        for (int i = 0; i < dataBytes; i++) {
            data[i] = (byte) (i * 7);
        }
        int half = dataBytes / 2 - dataBytes / 2 % format.blockAlign();
        w.write(data, 0, half);
        if (synced) {
            w.updateHeader();
        }
        w.write(data, half, dataBytes - half);
        channel.close(); // behind the writer's back: its header stays as a SIGKILL would leave it
        return file;
    }

    private static WavRepair.Result repair(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return WavRepair.repair(ch);
        }
    }

    private static WavHeader read(Path file) throws IOException {
        return WavReader.read(Files.readAllBytes(file));
    }

    @Test
    void placeholderSizesBecomeTheFileLength() throws Exception {
        Path file = unclosed("a.wav", WavFormat.PCM16_16K_MONO, 32000, false);
        assertThat(read(file).declaredDataBytes()).isEqualTo(0xFFFF_FFFFL);
        WavRepair.Result r = repair(file);
        assertThat(r.outcome()).isEqualTo(WavRepair.Outcome.REPAIRED);
        assertThat(r.dataBytes()).isEqualTo(32000);
        assertThat(r.declaredBefore()).isEqualTo(0xFFFF_FFFFL);
        WavHeader h = read(file);
        assertThat(h.truncated()).isFalse();
        assertThat(h.dataLength()).isEqualTo(32000);
        assertThat(h.durationMs()).isEqualTo(1000);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(4) + 8L).isEqualTo(Files.size(file));
    }

    @Test
    void sizesSyncedBeforeTheCrashGrowToCoverTheRest() throws Exception {
        Path file = unclosed("b.wav", WavFormat.PCM16_16K_MONO, 6400, true);
        assertThat(read(file).dataLength()).as("the synced header covers the first half").isEqualTo(3200);
        assertThat(repair(file).outcome()).isEqualTo(WavRepair.Outcome.REPAIRED);
        assertThat(read(file).dataLength()).isEqualTo(6400);
    }

    @Test
    void aPartialSampleIsCutAndAnOddMuLawLengthPadded() throws Exception {
        Path pcm = unclosed("c.wav", WavFormat.PCM16_16K_MONO, 100, false);
        Files.write(pcm, new byte[] {42}, StandardOpenOption.APPEND); // half a sample
        repair(pcm);
        assertThat(read(pcm).dataLength()).isEqualTo(100);
        assertThat(Files.size(pcm)).isEqualTo(44 + 100);

        Path ulaw = unclosed("d.wav", WavFormat.MULAW_8K_MONO, 101, false);
        repair(ulaw);
        WavHeader h = read(ulaw);
        assertThat(h.dataLength()).isEqualTo(101);
        assertThat(h.factFrames()).isEqualTo(101);
        assertThat(Files.size(ulaw)).isEqualTo(58 + 101 + 1);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(ulaw)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(4) + 8L).isEqualTo(Files.size(ulaw));
    }

    @Test
    void aHeaderOnlyFileBecomesAnEmptyWav() throws Exception {
        Path file = unclosed("e.wav", WavFormat.MULAW_8K_MONO, 0, false);
        assertThat(repair(file).outcome()).isEqualTo(WavRepair.Outcome.REPAIRED);
        assertThat(read(file).dataLength()).isZero();
        assertThat(read(file).truncated()).isFalse();
    }

    @Test
    void aClosedFileIsLeftAlone() throws Exception {
        Path file = dir.resolve("closed.wav");
        try (WavWriter w = WavWriter.create(file, WavFormat.MULAW_8K_MONO)) {
            w.write(new byte[333], 0, 333);
        }
        byte[] before = Files.readAllBytes(file);
        assertThat(repair(file).outcome()).isEqualTo(WavRepair.Outcome.INTACT);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void somethingElseIsLeftAlone() throws Exception {
        Path file = dir.resolve("notes.wav");
        Files.writeString(file, "not a RIFF file at all, just text that happens to end in .wav");
        byte[] before = Files.readAllBytes(file);
        assertThat(repair(file).outcome()).isEqualTo(WavRepair.Outcome.NOT_WAV);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        assertThat(repair(empty).outcome()).isEqualTo(WavRepair.Outcome.NOT_WAV);
    }
}
