package dev.relay.core.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.relay.codec.g711.MuLaw;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AudioSpanTest {
    private final AudioSpan span = new AudioSpan();

    @Test
    void pcm16kLittleEndianIsLowByteFirstForEverySampleValue() {
        short[] pcm = span.pcm16k();
        int n = AudioSpan.MAX_SAMPLES_16K;
        for (int i = 0; i < n; i++) {
            pcm[i] = (short) (i * 37 - 32768 + (i % 2 == 0 ? 0 : 65535 / 3));
        }
        pcm[0] = Short.MIN_VALUE;
        pcm[1] = Short.MAX_VALUE;
        pcm[2] = -1;
        span.set(0, n, 0, false);

        byte[] le = span.pcm16kLittleEndian();

        for (int i = 0; i < n; i++) {
            assertEquals((byte) pcm[i], le[2 * i], "low byte of sample " + i);
            assertEquals((byte) (pcm[i] >> 8), le[2 * i + 1], "high byte of sample " + i);
        }
    }

    @Test
    void pcm8kLittleEndianCoversTheEightKilohertzSamplesOnly() {
        short[] pcm = span.pcm8k();
        for (int i = 0; i < 160; i++) {
            pcm[i] = (short) (1000 - 13 * i);
        }
        span.set(0, 320, 0, false);

        byte[] le = span.pcm8kLittleEndian();

        for (int i = 0; i < 160; i++) {
            assertEquals((short) (1000 - 13 * i), (short) ((le[2 * i] & 0xFF) | le[2 * i + 1] << 8));
        }
    }

    @Test
    void ulaw8kIsTheCodecsOwnEncoding() {
        short[] pcm = span.pcm8k();
        for (int i = 0; i < 160; i++) {
            pcm[i] = (short) (i * 409 - 32768);
        }
        span.set(0, 320, 0, false);
        byte[] expected = new byte[160];
        MuLaw.encode(pcm, 0, expected, 0, 160);

        assertArrayEquals(expected, Arrays.copyOf(span.ulaw8k(), 160));
    }

    @Test
    void sinksAskingTwiceShareOneConversion() {
        span.pcm16k()[0] = 0x1234;
        span.set(0, 320, 0, false);

        byte[] first = span.pcm16kLittleEndian();
        span.pcm16k()[0] = 0x5678; // not announced by set(): the built form stays as it was
        byte[] second = span.pcm16kLittleEndian();

        assertSame(first, second);
        assertEquals(0x34, second[0]);
    }

    @Test
    void setMakesEveryByteFormFollowTheNewSamples() {
        span.pcm16k()[0] = 0x1234;
        span.pcm8k()[0] = 0x0102;
        span.set(0, 320, 0, false);
        span.pcm16kLittleEndian();
        span.pcm8kLittleEndian();
        byte firstCode = span.ulaw8k()[0];

        span.pcm16k()[0] = 0x5678;
        span.pcm8k()[0] = 0;
        span.set(320, 320, 0, false);

        assertEquals(0x78, span.pcm16kLittleEndian()[0]);
        assertEquals(0x56, span.pcm16kLittleEndian()[1]);
        assertEquals(0, span.pcm8kLittleEndian()[0]);
        assertEquals(MuLaw.encode(0), span.ulaw8k()[0]);
        assertEquals(MuLaw.encode(0x0102), firstCode);
    }
}
