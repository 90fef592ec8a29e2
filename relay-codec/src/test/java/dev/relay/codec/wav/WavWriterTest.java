package dev.relay.codec.wav;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.g711.ALaw;
import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.testing.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WavWriterTest {
    @TempDir
    Path dir;

    @Test
    void muLawHeaderIsByteIdenticalToSox() {
        byte[] sox = TestData.bytes("speech_8k_ulaw.wav");
        byte[] header = new byte[64];
        int length = WavWriter.writeHeader(header, 3, WavFormat.MULAW_8K_MONO, 68058);
        assertThat(length).isEqualTo(58).isEqualTo(WavWriter.headerLength(WavFormat.MULAW_8K_MONO));
        assertThat(Arrays.copyOfRange(header, 3, 61)).isEqualTo(Arrays.copyOf(sox, 58));
    }

    @Test
    void inMemoryMuLawWavIsByteIdenticalToSox() {
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        assertThat(WavWriter.toWav(WavFormat.MULAW_8K_MONO, ulaw, 0, ulaw.length))
                .isEqualTo(TestData.bytes("speech_8k_ulaw.wav"));
    }

    @Test
    void pcmHeaderIsTheCanonical44Bytes() {
        byte[] h = new byte[44];
        assertThat(WavWriter.writeHeader(h, 0, WavFormat.pcm16(16000, 2), 400)).isEqualTo(44);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(h, 0, 4, US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(36 + 400);
        assertThat(new String(h, 8, 8, US_ASCII)).isEqualTo("WAVEfmt ");
        assertThat(b.getInt(16)).isEqualTo(16);
        assertThat(b.getShort(20)).isEqualTo((short) 1);
        assertThat(b.getShort(22)).isEqualTo((short) 2);
        assertThat(b.getInt(24)).isEqualTo(16000);
        assertThat(b.getInt(28)).isEqualTo(64000);
        assertThat(b.getShort(32)).isEqualTo((short) 4);
        assertThat(b.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(h, 36, 4, US_ASCII)).isEqualTo("data");
        assertThat(b.getInt(40)).isEqualTo(400);
    }

    @Test
    void streamsPcm16InUnevenChunksAndFixesSizesAtClose() throws Exception {
        short[] speech = TestData.s16le("speech_16k_ref_s16le.raw");
        Path file = dir.resolve("pcm.wav");
        try (WavWriter w = WavWriter.create(file, WavFormat.PCM16_16K_MONO)) {
            int[] chunkSizes = {160, 7, 5000, 1, 4096, 320};
            int off = 0;
            for (int i = 0; off < speech.length; i++) {
                int n = Math.min(chunkSizes[i % chunkSizes.length], speech.length - off);
                w.write(speech, off, n);
                off += n;
            }
            assertThat(w.dataBytes()).isEqualTo(2L * speech.length);
            assertThat(w.frames()).isEqualTo(speech.length);
        }
        byte[] wav = Files.readAllBytes(file);
        assertThat(wav).hasSize(44 + 2 * speech.length);
        assertThat(ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(wav.length - 8);
        WavHeader h = WavReader.read(wav);
        assertThat(h.format()).isEqualTo(WavFormat.PCM16_16K_MONO);
        assertThat(h.truncated()).isFalse();
        assertThat(h.dataOffset()).isEqualTo(44);
        assertThat(h.frames()).isEqualTo(speech.length);
        short[] back = new short[h.frames()];
        ByteBuffer.wrap(wav, h.dataOffset(), h.dataLength()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(back);
        assertThat(back).isEqualTo(speech);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mulaw", "alaw"})
    void roundTripsG711ThroughFileAndReader(String law) throws Exception {
        byte[] codes = TestData.bytes("speech_8k.ulaw");
        if (law.equals("alaw")) {
            for (int i = 0; i < codes.length; i++) {
                codes[i] = ALaw.encode(MuLaw.decode(codes[i]));
            }
        }
        WavFormat format = law.equals("alaw") ? WavFormat.alaw(8000, 1) : WavFormat.MULAW_8K_MONO;
        Path file = dir.resolve(law + ".wav");
        try (WavWriter w = WavWriter.create(file, format)) {
            for (int off = 0; off < codes.length; off += 160) {
                w.write(codes, off, Math.min(160, codes.length - off));
            }
        }
        byte[] wav = Files.readAllBytes(file);
        WavHeader h = WavReader.read(wav);
        assertThat(h.format()).isEqualTo(format);
        assertThat(h.factFrames()).isEqualTo(codes.length);
        assertThat(h.truncated()).isFalse();
        assertThat(Arrays.copyOfRange(wav, h.dataOffset(), h.dataOffset() + h.dataLength())).isEqualTo(codes);
        assertThat(wav).isEqualTo(WavWriter.toWav(format, codes, 0, codes.length));
    }

    @Test
    void unfinishedFileReadsAsRunningToTheEnd() throws Exception {
        Path file = dir.resolve("crash.wav");
        try (WavWriter w = WavWriter.create(file, WavFormat.MULAW_8K_MONO)) {
            w.write(new byte[480], 0, 480);
            WavHeader h = WavReader.read(Files.readAllBytes(file));
            assertThat(h.truncated()).isTrue();
            assertThat(h.declaredDataBytes()).isEqualTo(0xFFFF_FFFFL);
            assertThat(h.dataLength()).isEqualTo(480);
        }
    }

    @Test
    void updateHeaderWritesCurrentSizesAndKeepsAppending() throws Exception {
        Path file = dir.resolve("checkpoint.wav");
        try (WavWriter w = WavWriter.create(file, WavFormat.PCM16_16K_MONO)) {
            w.write(new short[] {1, 2, 3}, 0, 3);
            w.updateHeader();
            WavHeader mid = WavReader.read(Files.readAllBytes(file));
            assertThat(mid.truncated()).isFalse();
            assertThat(mid.dataLength()).isEqualTo(6);
            w.write(new short[] {4, 5}, 0, 2);
        }
        byte[] wav = Files.readAllBytes(file);
        assertThat(WavReader.read(wav).dataLength()).isEqualTo(10);
        assertThat(Arrays.copyOfRange(wav, 44, 54)).containsExactly(1, 0, 2, 0, 3, 0, 4, 0, 5, 0);
    }

    @Test
    void padsOddDataLengthWithOneByteOutsideTheDataSize() throws Exception {
        Path file = dir.resolve("odd.wav");
        try (WavWriter w = WavWriter.create(file, WavFormat.MULAW_8K_MONO)) {
            w.write(new byte[] {10, 20, 30}, 0, 3);
        }
        byte[] wav = Files.readAllBytes(file);
        assertThat(wav).hasSize(58 + 3 + 1);
        assertThat(ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(wav.length - 8);
        assertThat(wav[61]).isZero();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isEqualTo(3);
        assertThat(h.truncated()).isFalse();
        assertThat(WavWriter.toWav(WavFormat.MULAW_8K_MONO, new byte[] {10, 20, 30}, 0, 3)).isEqualTo(wav);
    }

    @Test
    void emptyRecordingIsAValidFile() throws Exception {
        Path file = dir.resolve("empty.wav");
        WavWriter.create(file, WavFormat.PCM16_16K_MONO).close();
        WavHeader h = WavReader.read(Files.readAllBytes(file));
        assertThat(h.dataLength()).isZero();
        assertThat(h.truncated()).isFalse();
    }

    @Test
    void closeIsIdempotentAndLaterWritesFail() throws Exception {
        Path file = dir.resolve("closed.wav");
        WavWriter w = WavWriter.create(file, WavFormat.MULAW_8K_MONO);
        w.write(new byte[2], 0, 2);
        w.close();
        byte[] once = Files.readAllBytes(file);
        w.close();
        assertThat(Files.readAllBytes(file)).isEqualTo(once);
        assertThatThrownBy(() -> w.write(new byte[2], 0, 2)).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(w::updateHeader).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void startsAtTheChannelsCurrentPosition() throws Exception {
        Path file = dir.resolve("offset.wav");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ch.write(ByteBuffer.wrap(new byte[10]));
        try (WavWriter w = new WavWriter(ch, WavFormat.MULAW_8K_MONO)) {
            w.write(new byte[4], 0, 4);
        }
        assertThat(ch.isOpen()).isFalse();
        byte[] all = Files.readAllBytes(file);
        WavHeader h = WavReader.read(all, 10, all.length - 10);
        assertThat(h.dataOffset()).isEqualTo(68);
        assertThat(h.dataLength()).isEqualTo(4);
        assertThat(h.truncated()).isFalse();
    }

    @Test
    void rejectsShortSamplesForNonPcm16AndPartialFrames() throws Exception {
        try (WavWriter mu = WavWriter.create(dir.resolve("a.wav"), WavFormat.MULAW_8K_MONO);
                WavWriter stereo = WavWriter.create(dir.resolve("b.wav"), WavFormat.pcm16(8000, 2))) {
            assertThatThrownBy(() -> mu.write(new short[2], 0, 2)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> stereo.write(new short[3], 0, 3))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("6 data bytes is not a whole number of 4-byte frames");
            assertThatThrownBy(() -> stereo.write(new byte[6], 0, 6)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> stereo.write(new short[4], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(stereo.dataBytes()).isZero();
        }
    }

    @Test
    void staticHelpersRejectPartialFramesAndSmallBuffers() {
        assertThatThrownBy(() -> WavWriter.writeHeader(new byte[44], 0, WavFormat.PCM16_16K_MONO, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WavWriter.writeHeader(new byte[44], 0, WavFormat.PCM16_16K_MONO, -2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WavWriter.writeHeader(new byte[57], 0, WavFormat.MULAW_8K_MONO, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> WavWriter.toWav(WavFormat.PCM16_16K_MONO, new byte[3], 0, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatValidatesItsValues() {
        assertThatThrownBy(() -> WavFormat.pcm16(0, 1)).hasMessage("sample rate 0");
        assertThatThrownBy(() -> WavFormat.mulaw(8000, 0)).hasMessage("channels 0");
        assertThatThrownBy(() -> WavFormat.of(WavFormat.Encoding.PCM, 8000, 1, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bits per sample 20 unsupported for PCM");
        assertThat(WavFormat.of(WavFormat.Encoding.PCM, WavFormat.MAX_SAMPLE_RATE_HZ, 256, 32).byteRate())
                .isEqualTo(1_024_000_000);
    }

    /** The writer must close its channel even when fixing the header fails. */
    @Test
    void closesChannelWhenHeaderFixupFails() throws IOException {
        Path file = dir.resolve("fail.wav");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FailingChannel failing = new FailingChannel(ch);
        WavWriter w = new WavWriter(failing, WavFormat.MULAW_8K_MONO);
        failing.failPositioning = true;
        assertThatThrownBy(w::close).isInstanceOf(IOException.class).hasMessage("injected");
        assertThat(ch.isOpen()).isFalse();
        w.close();
    }

    /** Delegates to a file channel; can be told to fail seeks. */
    private static final class FailingChannel implements SeekableByteChannel {
        private final FileChannel delegate;
        boolean failPositioning;

        FailingChannel(FileChannel delegate) {
            this.delegate = delegate;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FailingChannel position(long newPosition) throws IOException {
            if (failPositioning) {
                throw new IOException("injected");
            }
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FailingChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return delegate.isOpen();
        }

        @Override
        public void close() throws IOException {
            delegate.close();
        }
    }
}
