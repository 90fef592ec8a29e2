package dev.relay.codec.wav;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.testing.TestData;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded stand-in for the Jazzer run: garbage, truncations and header mutations of valid files must
 * either parse to a header inside the input or fail with {@link WavFormatException}, nothing else.
 */
@Timeout(30)
class WavReaderFuzzTest {
    private static final long SEED = 0x5EED_0711L;

    private int parsed;
    private int rejected;

    @Test
    void randomGarbageOnlyEverFailsWithWavFormatException() {
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] prefix = Riff.wave().build();
        for (int i = 0; i < 4000; i++) {
            byte[] input = new byte[random.nextInt(160)];
            random.nextBytes(input);
            if (i % 2 == 0 && input.length >= 12) {
                System.arraycopy(prefix, 0, input, 0, 12); // get past the magic to reach the chunk walk
            }
            check(input);
        }
        assertThat(rejected).isGreaterThan(3000);
    }

    @Test
    void everyTruncationOfValidFilesParsesOrFailsCleanly() {
        for (byte[] valid : validFiles()) {
            for (int len = 0; len <= Math.min(valid.length, 300); len++) {
                check(Arrays.copyOf(valid, len));
            }
        }
        assertThat(parsed).isPositive();
        assertThat(rejected).isPositive();
    }

    @Test
    void headerMutationsOfValidFilesParseOrFailCleanly() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int[] interesting = {0, 1, 2, 3, 0x7F, 0x80, 0xFE, 0xFF};
        List<byte[]> valid = validFiles();
        for (int i = 0; i < 6000; i++) {
            byte[] base = valid.get(random.nextInt(valid.size()));
            byte[] input = Arrays.copyOf(base, Math.min(base.length, 40 + random.nextInt(200)));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                int at = random.nextInt(Math.min(input.length, 120));
                switch (random.nextInt(3)) {
                    case 0:
                        input[at] = (byte) random.nextInt(256);
                        break;
                    case 1:
                        input[at] = (byte) interesting[random.nextInt(interesting.length)];
                        break;
                    default:
                        int word = random.nextBoolean() ? -1 : random.nextInt(); // sizes: all-ones or random
                        for (int k = 0; k < 4 && at + k < input.length; k++) {
                            input[at + k] = (byte) (word >>> (8 * k));
                        }
                }
            }
            check(input);
        }
        assertThat(parsed).isGreaterThan(500);
        assertThat(rejected).isGreaterThan(500);
    }

    @Test
    void randomChunkSequencesParseOrFailCleanly() {
        SplittableRandom random = new SplittableRandom(SEED + 2);
        String[] ids = {"fmt ", "fmt ", "data", "data", "fact", "LIST", "junk"};
        for (int i = 0; i < 4000; i++) {
            Riff riff = Riff.wave();
            int chunks = random.nextInt(6);
            for (int c = 0; c < chunks; c++) {
                String id = ids[random.nextInt(ids.length)];
                byte[] body = id.equals("fmt ") ? randomFmt(random) : new byte[random.nextInt(50)];
                if (random.nextInt(4) == 0) {
                    riff.chunkDeclaring(id, random.nextBoolean() ? 0xFFFF_FFFFL : random.nextInt(100), body);
                } else {
                    riff.chunk(id, body);
                }
            }
            if (random.nextInt(3) == 0) {
                riff.riffSize(random.nextBoolean() ? 0 : 0xFFFF_FFFFL);
            }
            check(riff.build());
        }
        assertThat(parsed).isGreaterThan(200);
        assertThat(rejected).isGreaterThan(2000);
    }

    /** Mostly plausible fmt bodies, with one field off now and then, so parses succeed often. */
    private static byte[] randomFmt(SplittableRandom random) {
        int[] tags = {1, 1, 7, 7, 6, 3, 0x55, 0xFFFE};
        int tag = tags[random.nextInt(tags.length)];
        boolean odd = random.nextInt(4) == 0;
        int channels = odd && random.nextBoolean() ? random.nextInt(400) : 1 + random.nextInt(2);
        int bits = odd && random.nextBoolean() ? random.nextInt(40) : (tag == 1 ? 8 * (1 + random.nextInt(4)) : 8);
        int align = odd && random.nextBoolean() ? random.nextInt(10) : channels * (bits / 8);
        long rate = odd && random.nextBoolean() ? random.nextInt() & 0xFFFF_FFFFL : 8000;
        if (tag == 0xFFFE) {
            byte[] ext = Riff.fmtExtensible(tags[random.nextInt(3) * 2], channels, rate, align, bits, bits);
            return odd ? Arrays.copyOf(ext, random.nextInt(ext.length)) : ext;
        }
        return Riff.fmt(tag, channels, rate, align, bits);
    }

    private void check(byte[] input) {
        if (checkInvariants(input)) {
            parsed++;
        } else {
            rejected++;
        }
    }

    /**
     * The properties every input must satisfy, through an array slice and a direct buffer; true if
     * it parsed. Also the body of the coverage-guided {@link WavReaderCoverageFuzzTest}.
     */
    static boolean checkInvariants(byte[] input) {
        // Place the input mid-array so out-of-slice reads would show up as wrong results, not luck.
        byte[] padded = new byte[input.length + 10];
        Arrays.fill(padded, (byte) 'd');
        System.arraycopy(input, 0, padded, 5, input.length);
        WavHeader fromArray = parseOrNull(() -> WavReader.read(padded, 5, input.length));
        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        WavHeader fromBuffer = parseOrNull(() -> WavReader.read(direct));
        assertThat(direct.position()).isZero();
        if (fromArray == null) {
            assertThat(fromBuffer).isNull();
            return false;
        }
        assertThat(fromBuffer).isNotNull();
        assertThat(fromBuffer.dataOffset() + 5).isEqualTo(fromArray.dataOffset());
        assertThat(fromBuffer.dataLength()).isEqualTo(fromArray.dataLength());
        assertThat(fromArray.dataOffset()).isGreaterThanOrEqualTo(5 + 12);
        assertThat(fromArray.dataLength()).isNotNegative();
        assertThat((long) fromArray.dataOffset() + fromArray.dataLength()).isLessThanOrEqualTo(5 + input.length);
        assertThat(fromArray.frames()).isNotNegative();
        assertThat(fromArray.durationMs()).isNotNegative();
        return true;
    }

    private interface Parse {
        WavHeader run() throws WavFormatException;
    }

    /** The header, or null on WavFormatException; any other throwable fails the test. */
    private static WavHeader parseOrNull(Parse parse) {
        try {
            return parse.run();
        } catch (WavFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return null;
        }
    }

    private static List<byte[]> validFiles() {
        byte[] sox = Arrays.copyOf(TestData.bytes("speech_8k_ulaw.wav"), 400);
        byte[] four = {1, 2, 3, 4};
        return List.of(
                sox,
                Riff.simple(WavFormat.PCM16_16K_MONO, new byte[64]),
                Riff.wave()
                        .chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 'x'})
                        .chunk("fmt ", Riff.fmtExtensible(1, 2, 48000, 4, 16, 16))
                        .chunk("data", new byte[40])
                        .build(),
                Riff.wave().chunk("data", four).chunk("fmt ", Riff.fmtFor(WavFormat.alaw(8000, 1))).build(),
                WavWriter.toWav(WavFormat.MULAW_8K_MONO, new byte[33], 0, 33));
    }
}
