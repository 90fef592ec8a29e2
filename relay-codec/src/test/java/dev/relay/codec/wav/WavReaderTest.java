package dev.relay.codec.wav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.relay.codec.testing.TestData;
import dev.relay.codec.wav.WavFormat.Encoding;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavReaderTest {
    private static final byte[] FOUR = {1, 2, 3, 4};
    private static final byte[] PCM_FMT = Riff.fmt(1, 1, 16000, 2, 16);

    @Test
    void readsSoxMuLawFile() throws Exception {
        byte[] wav = TestData.bytes("speech_8k_ulaw.wav");
        WavHeader h = WavReader.read(wav);
        assertThat(h.formatTag()).isEqualTo(7);
        assertThat(h.extensible()).isFalse();
        assertThat(h.format()).isEqualTo(WavFormat.MULAW_8K_MONO);
        assertThat(h.format().blockAlign()).isEqualTo(1);
        assertThat(h.format().byteRate()).isEqualTo(8000);
        assertThat(h.dataOffset()).isEqualTo(58);
        assertThat(h.dataLength()).isEqualTo(68058);
        assertThat(h.declaredDataBytes()).isEqualTo(68058);
        assertThat(h.truncated()).isFalse();
        assertThat(h.factFrames()).isEqualTo(68058);
        assertThat(h.frames()).isEqualTo(68058);
        assertThat(h.durationMs()).isEqualTo(8507);
        assertThat(Arrays.copyOfRange(wav, h.dataOffset(), h.dataOffset() + h.dataLength()))
                .isEqualTo(TestData.bytes("speech_8k.ulaw"));
    }

    @Test
    void reportsAbsoluteOffsetsForAnArraySlice() throws Exception {
        byte[] wav = TestData.bytes("speech_8k_ulaw.wav");
        byte[] big = new byte[wav.length + 150];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(wav, 0, big, 100, wav.length);
        WavHeader h = WavReader.read(big, 100, wav.length);
        assertThat(h.dataOffset()).isEqualTo(158);
        assertThat(h.dataLength()).isEqualTo(68058);
        assertThat(h.truncated()).isFalse();
    }

    @Test
    void readsDirectBufferBetweenPositionAndLimitWithoutMovingThem() throws Exception {
        byte[] wav = TestData.bytes("speech_8k_ulaw.wav");
        ByteBuffer direct = ByteBuffer.allocateDirect(wav.length + 20);
        direct.position(7);
        direct.put(wav);
        direct.position(7).limit(7 + wav.length);
        WavHeader h = WavReader.read(direct);
        assertThat(h.dataOffset()).isEqualTo(65);
        assertThat(h.dataLength()).isEqualTo(68058);
        assertThat(direct.position()).isEqualTo(7);
        assertThat(direct.limit()).isEqualTo(7 + wav.length);
    }

    @Test
    void skipsUnknownChunksHonouringPadBytes() throws Exception {
        byte[] wav = Riff.wave()
                .chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 'x'}) // odd: one pad byte follows
                .chunk("fmt ", PCM_FMT)
                .chunk("junk", new byte[3])
                .chunk("data", FOUR)
                .chunk("LIST", new byte[9])
                .build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.format()).isEqualTo(WavFormat.PCM16_16K_MONO);
        assertThat(h.dataOffset()).isEqualTo(12 + 14 + 24 + 12 + 8);
        assertThat(h.dataLength()).isEqualTo(4);
        assertThat(h.factFrames()).isEqualTo(-1);
    }

    @Test
    void findsFmtAfterData() throws Exception {
        byte[] wav = Riff.wave().chunk("data", FOUR).chunk("fmt ", PCM_FMT).build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataOffset()).isEqualTo(20);
        assertThat(h.frames()).isEqualTo(2);
    }

    @Test
    void acceptsFmtChunkWithExtraBytes() throws Exception {
        byte[] fmt18 = Arrays.copyOf(Riff.fmt(6, 2, 8000, 2, 8), 18);
        WavHeader h = WavReader.read(Riff.wave().chunk("fmt ", fmt18).chunk("data", FOUR).build());
        assertThat(h.format()).isEqualTo(WavFormat.alaw(8000, 2));
    }

    @Test
    void acceptsOddDataChunkWithoutTrailingPadByte() throws Exception {
        byte[] wav = Riff.wave().chunk("fmt ", Riff.fmtFor(WavFormat.MULAW_8K_MONO)).build();
        wav = Riff.wave().bytes(Arrays.copyOfRange(wav, 12, wav.length)).chunkDeclaring("data", 3, new byte[3]).build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isEqualTo(3);
        assertThat(h.truncated()).isFalse();
    }

    @Test
    void parsesExtensiblePcm16() throws Exception {
        byte[] wav = Riff.wave()
                .chunk("fmt ", Riff.fmtExtensible(1, 2, 48000, 4, 16, 16))
                .chunk("data", new byte[8])
                .build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.formatTag()).isEqualTo(0xFFFE);
        assertThat(h.extensible()).isTrue();
        assertThat(h.format()).isEqualTo(WavFormat.pcm16(48000, 2));
        assertThat(h.format().formatTag()).isEqualTo(1);
        assertThat(h.frames()).isEqualTo(2);
    }

    @Test
    void parsesExtensibleMuLawAndAcceptsValidBitsBelowContainer() throws Exception {
        WavHeader mu = WavReader.read(Riff.wave()
                .chunk("fmt ", Riff.fmtExtensible(7, 1, 8000, 1, 8, 8))
                .chunk("data", FOUR)
                .build());
        assertThat(mu.format()).isEqualTo(WavFormat.MULAW_8K_MONO);
        WavHeader pcm24 = WavReader.read(Riff.wave()
                .chunk("fmt ", Riff.fmtExtensible(1, 1, 44100, 3, 24, 20))
                .chunk("data", new byte[6])
                .build());
        assertThat(pcm24.format()).isEqualTo(WavFormat.of(Encoding.PCM, 44100, 1, 24));
    }

    @Test
    void clampsDataChunkLongerThanInputAndFlagsIt() throws Exception {
        byte[] wav = Riff.wave().chunk("fmt ", PCM_FMT).chunkDeclaring("data", 5000, new byte[100]).build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isEqualTo(100);
        assertThat(h.declaredDataBytes()).isEqualTo(5000);
        assertThat(h.truncated()).isTrue();
        assertThat(h.frames()).isEqualTo(50);
    }

    @Test
    void readsAllOnesDataSizeAsRunningToTheEnd() throws Exception {
        byte[] wav = Riff.wave()
                .chunk("fmt ", PCM_FMT)
                .chunkDeclaring("data", 0xFFFF_FFFFL, new byte[7])
                .riffSize(0xFFFF_FFFFL)
                .build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isEqualTo(7);
        assertThat(h.frames()).isEqualTo(3);
        assertThat(h.declaredDataBytes()).isEqualTo(0xFFFF_FFFFL);
        assertThat(h.truncated()).isTrue();
    }

    @Test
    void readsZeroDataSizeWithStaleRiffSizeAsRunningToTheEnd() throws Exception {
        byte[] wav = Riff.wave().chunk("fmt ", PCM_FMT).chunkDeclaring("data", 0, new byte[10]).riffSize(36).build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isEqualTo(10);
        assertThat(h.declaredDataBytes()).isZero();
        assertThat(h.truncated()).isTrue();
    }

    @Test
    void trustsZeroDataSizeWhenRiffSizeMatchesInput() throws Exception {
        byte[] wav = Riff.wave().chunk("fmt ", PCM_FMT).chunk("data", new byte[0]).chunk("LIST", FOUR).build();
        WavHeader h = WavReader.read(wav);
        assertThat(h.dataLength()).isZero();
        assertThat(h.truncated()).isFalse();
        assertThat(h.durationMs()).isZero();
    }

    @Test
    void ignoresRiffSizeThatUnderstatesTheFile() throws Exception {
        byte[] wav = Riff.wave().chunk("LIST", FOUR).chunk("fmt ", PCM_FMT).chunk("data", FOUR).riffSize(4).build();
        assertThat(WavReader.read(wav).dataLength()).isEqualTo(4);
    }

    static Stream<Arguments> malformed() {
        byte[] ok = Riff.simple(WavFormat.PCM16_16K_MONO, FOUR);
        byte[] badGuid = Riff.fmtExtensible(1, 1, 8000, 2, 16, 16);
        badGuid[39] = 0x70;
        return Stream.of(
                Arguments.of("RIFF header truncated: 10 bytes, need 12", Arrays.copyOf(ok, 10)),
                Arguments.of("RIFF header truncated: 0 bytes, need 12", new byte[0]),
                Arguments.of("not a RIFF file: chunk id 'OggS'", Riff.of("OggS", "WAVE").build()),
                Arguments.of("not a RIFF file: chunk id '\\x00\\xFFRI'", Riff.of("\0\u00FFRI", "WAVE").build()),
                Arguments.of("big-endian RIFX files are not supported", Riff.of("RIFX", "WAVE").build()),
                Arguments.of("RF64 files are not supported", Riff.of("RF64", "WAVE").build()),
                Arguments.of("not a WAVE file: form type 'AVI '", Riff.of("RIFF", "AVI ").build()),
                Arguments.of("fmt chunk missing", Riff.wave().chunk("data", FOUR).build()),
                Arguments.of("fmt chunk missing", Riff.wave().build()),
                Arguments.of("data chunk missing", Riff.wave().chunk("fmt ", PCM_FMT).build()),
                Arguments.of(
                        "fmt chunk missing (chunk 'LIST' at offset 12 declares 5000 bytes, 100 remain)",
                        Riff.wave().chunkDeclaring("LIST", 5000, new byte[100]).build()),
                Arguments.of(
                        "data chunk missing (chunk 'LIST' at offset 36 declares 4294967295 bytes, 8 remain)",
                        Riff.wave().chunk("fmt ", PCM_FMT).chunkDeclaring("LIST", 0xFFFF_FFFFL, new byte[8]).build()),
                Arguments.of(
                        "fmt chunk missing (data chunk at offset 12 runs to the end of the input)",
                        Riff.wave().chunkDeclaring("data", 100, FOUR).chunk("fmt ", PCM_FMT).build()),
                Arguments.of(
                        "fmt chunk too short: 14 bytes, need 16",
                        Riff.wave().chunk("fmt ", Arrays.copyOf(PCM_FMT, 14)).chunk("data", FOUR).build()),
                Arguments.of(
                        "fmt chunk size 16 exceeds file (remaining 10)",
                        Riff.wave().chunkDeclaring("fmt ", 16, new byte[10]).build()),
                Arguments.of(
                        "duplicate fmt chunk",
                        Riff.wave().chunk("fmt ", PCM_FMT).chunk("fmt ", PCM_FMT).chunk("data", FOUR).build()),
                Arguments.of("unsupported format tag 85 (MPEG Layer 3)", withFmt(Riff.fmt(0x55, 1, 8000, 1, 0))),
                Arguments.of("unsupported format tag 3 (IEEE float)", withFmt(Riff.fmt(3, 1, 8000, 4, 32))),
                Arguments.of("unsupported format tag 4660 (unknown)", withFmt(Riff.fmt(0x1234, 1, 8000, 4, 32))),
                Arguments.of(
                        "unsupported WAVE_FORMAT_EXTENSIBLE sub-format tag 3 (IEEE float)",
                        withFmt(Riff.fmtExtensible(3, 1, 8000, 4, 32, 32))),
                Arguments.of(
                        "unsupported WAVE_FORMAT_EXTENSIBLE sub-format {00000001-0000-0010-8000-00AA00389B70}",
                        withFmt(badGuid)),
                Arguments.of(
                        "WAVE_FORMAT_EXTENSIBLE fmt chunk too short: 18 bytes, need 40",
                        withFmt(Arrays.copyOf(Riff.fmt(0xFFFE, 1, 8000, 2, 16), 18))),
                Arguments.of(
                        "WAVE_FORMAT_EXTENSIBLE cbSize 0, need 22",
                        withFmt(withCbSize(Riff.fmtExtensible(1, 1, 8000, 2, 16, 16), 0))),
                Arguments.of(
                        "valid bits per sample 24 exceeds container 16",
                        withFmt(Riff.fmtExtensible(1, 1, 8000, 2, 16, 24))),
                Arguments.of(
                        "block align 3 does not match channels×bits/8 = 2", withFmt(Riff.fmt(1, 1, 8000, 3, 16))),
                Arguments.of(
                        "block align 1 does not match channels×bits/8 = 2", withFmt(Riff.fmt(7, 2, 8000, 1, 8))),
                Arguments.of("sample rate 0", withFmt(Riff.fmt(1, 1, 0, 2, 16))),
                Arguments.of(
                        "sample rate 4294967295 Hz outside 1..1000000", withFmt(Riff.fmt(1, 1, 0xFFFF_FFFFL, 2, 16))),
                Arguments.of("channels 0", withFmt(Riff.fmt(1, 0, 8000, 0, 16))),
                Arguments.of("channels 300 above maximum 256", withFmt(Riff.fmt(1, 300, 8000, 600, 16))),
                Arguments.of("bits per sample 12 unsupported for PCM", withFmt(Riff.fmt(1, 1, 8000, 2, 12))),
                Arguments.of("bits per sample 0 unsupported for PCM", withFmt(Riff.fmt(1, 1, 8000, 0, 0))),
                Arguments.of("bits per sample 16 unsupported for μ-law (need 8)", withFmt(Riff.fmt(7, 1, 8000, 2, 16))),
                Arguments.of("bits per sample 16 unsupported for A-law (need 8)", withFmt(Riff.fmt(6, 1, 8000, 2,
                16))));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsMalformedFileNamingTheProblem(String message, byte[] wav) {
        assertThatThrownBy(() -> WavReader.read(wav))
                .isExactlyInstanceOf(WavFormatException.class)
                .hasMessage(message);
        assertThatThrownBy(() -> WavReader.read(ByteBuffer.wrap(wav).asReadOnlyBuffer()))
                .isExactlyInstanceOf(WavFormatException.class)
                .hasMessage(message);
    }

    @Test
    void rejectsBadSliceArgumentsAsProgrammingErrors() {
        assertThatThrownBy(() -> WavReader.read(new byte[10], 5, 6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static byte[] withFmt(byte[] fmtBody) {
        return Riff.wave().chunk("fmt ", fmtBody).chunk("data", FOUR).build();
    }

    private static byte[] withCbSize(byte[] fmtBody, int cbSize) {
        WavLayout.putShort(fmtBody, 16, cbSize);
        return fmtBody;
    }
}
