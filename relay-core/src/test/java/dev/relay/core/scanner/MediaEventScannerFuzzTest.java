package dev.relay.core.scanner;

import static dev.relay.core.scanner.TelephonyFrames.CALL_ID;
import static dev.relay.core.scanner.TelephonyFrames.alohaaMedia;
import static dev.relay.core.scanner.TelephonyFrames.base64Json;
import static dev.relay.core.scanner.TelephonyFrames.bufferJson;
import static dev.relay.core.scanner.TelephonyFrames.envelopeMedia;
import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.core.scanner.ReferenceJson.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random mutation of valid frames (flip, replace, insert, delete, duplicate,
 * truncate). The scanner must never throw, must stay inside the destination, and
 * must agree with an independent validator on which inputs are well-formed JSON.
 */
@Timeout(60)
class MediaEventScannerFuzzTest {
    private static final byte[] INTERESTING = "{}[]\",:\\ 0123456789eE.-+utfnlr=/AQ_\t\n\u0000\u007f"
            .getBytes(StandardCharsets.ISO_8859_1);

    private static byte[][] seeds() {
        final byte[] small = {1, 2, 3, (byte) 0xFF, 0, 127, (byte) 128};
        final String[] docs = {
            alohaaMedia('"' + CALL_ID + '"', bufferJson(small), "1649433600000"),
            alohaaMedia('"' + CALL_ID + '"', base64Json(small), "\"12\""),
            "{\"payload\":" + bufferJson(small) + ",\"timestamp\":3,\"callId\":\"c\\u0041\\\"\",\"event\":\"media\"}",
            envelopeMedia("MZ1", Base64.getEncoder().encodeToString(small), "\"5\""),
            "{\"event\":\"connected\",\"callId\":\"call_123\",\"mobileNo\":\"4155551234\"}",
            "{\"event\":\"start\",\"start\":{\"mediaFormat\":{\"encoding\":\"audio/x-mulaw\",\"sampleRate\":8000}},"
                    + "\"streamSid\":\"MZ1\",\"x\":[true,false,null,-1.5e+3,{}]}",
            "{\"event\":\"media\",\"callId\":\"\\uD83D\\uDE00\",\"payload\":\"+\\/-_AQ\"}",
        };
        final byte[][] out = new byte[docs.length][];
        for (int i = 0; i < docs.length; i++) {
            out[i] = docs[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    @Test
    void neverThrowsAndAgreesWithAReferenceValidatorOnMutatedFrames() {
        final byte[][] seeds = seeds();
        final Random random = new Random(0x5EED);
        final MediaEventScanner scanner = new MediaEventScanner();
        final byte[] dst = new byte[256];
        final Map<MediaEventRejection, Integer> seen = new EnumMap<>(MediaEventRejection.class);
        for (int iteration = 0; iteration < 50_000; iteration++) {
            byte[] doc = seeds[random.nextInt(seeds.length)];
            final int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                doc = mutate(doc, random);
            }
            final int dstOff = random.nextInt(8) == 0 ? dst.length - random.nextInt(8) : 0;
            seen.merge(checkInvariants(scanner, doc, dst, dstOff), 1, Integer::sum);
        }
        // The mutations reach well past the syntax checks.
        assertThat(seen.keySet()).contains(MediaEventRejection.NONE, MediaEventRejection.INVALID_JSON,
                MediaEventRejection.BAD_BUFFER_JSON, MediaEventRejection.BAD_BASE64,
                MediaEventRejection.DUPLICATE_KEY, MediaEventRejection.MISSING_EVENT,
                MediaEventRejection.PAYLOAD_TOO_LARGE);
    }

    /**
     * The properties every input must satisfy; also the body for a coverage-guided
     * (Jazzer {@code @FuzzTest}) target over {@code byte[]}.
     */
    static MediaEventRejection checkInvariants(MediaEventScanner scanner, byte[] doc, byte[] dst, int dstOff) {
        final MediaEventRejection r = scanner.scan(doc, 0, doc.length, dst, dstOff);

        assertThat(r).isNotNull().isSameAs(scanner.rejection());
        assertThat(scanner.payloadLength()).isBetween(0, dst.length - dstOff);
        assertThat(scanner.callIdLength()).isBetween(0, MediaEventScanner.MAX_CALL_ID_BYTES);
        final Verdict verdict = ReferenceJson.validate(doc, 0, doc.length, MediaEventScanner.MAX_DEPTH);
        final MediaEventRejection syntax = verdict == Verdict.VALID ? null
                : verdict == Verdict.INVALID ? MediaEventRejection.INVALID_JSON : MediaEventRejection.TOO_DEEP;
        if (syntax != null || r == MediaEventRejection.INVALID_JSON || r == MediaEventRejection.TOO_DEEP) {
            assertThat(r).as("%s", new String(doc, StandardCharsets.ISO_8859_1)).isEqualTo(syntax);
        }
        if (r == MediaEventRejection.NONE) {
            assertThat(scanner.payloadForm() != PayloadForm.NONE).isEqualTo(scanner.event() == MediaEventKind.MEDIA);
            assertThat(scanner.callIdString().codePoints().allMatch(c -> c >= 0x20 && c != 0x7F)).isTrue();
        }
        return r;
    }

    @Test
    void neverThrowsOnRandomJsonishBytesThroughADirectBuffer() {
        final Random random = new Random(42);
        final MediaEventScanner scanner = new MediaEventScanner(1024);
        final byte[] dst = new byte[64];
        final ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer(4096);
        try {
            for (int iteration = 0; iteration < 20_000; iteration++) {
                final byte[] doc = new byte[random.nextInt(random.nextBoolean() ? 40 : 3000)];
                for (int i = 0; i < doc.length; i++) {
                    doc[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256)
                            : INTERESTING[random.nextInt(INTERESTING.length)];
                }
                if (doc.length > 0 && random.nextBoolean()) {
                    doc[0] = '{';
                }
                frame.clear().writeBytes(doc);
                final MediaEventRejection r = scanner.scan(frame, dst, 0);

                assertThat(frame.readerIndex()).isZero();
                final Verdict verdict = ReferenceJson.validate(doc, 0, doc.length, MediaEventScanner.MAX_DEPTH);
                assertThat(r == MediaEventRejection.INVALID_JSON || r == MediaEventRejection.TOO_DEEP)
                        .isEqualTo(verdict != Verdict.VALID);
            }
        } finally {
            frame.release();
        }
    }

    private static byte[] mutate(byte[] doc, Random random) {
        final int len = doc.length;
        final int at = len == 0 ? 0 : random.nextInt(len);
        final byte value = random.nextBoolean() ? (byte) random.nextInt(256)
                : INTERESTING[random.nextInt(INTERESTING.length)];
        switch (random.nextInt(6)) {
            case 0: { // flip a bit
                final byte[] out = doc.clone();
                if (len > 0) {
                    out[at] ^= (byte) (1 << random.nextInt(8));
                }
                return out;
            }
            case 1: { // replace
                final byte[] out = doc.clone();
                if (len > 0) {
                    out[at] = value;
                }
                return out;
            }
            case 2: { // insert
                final byte[] out = new byte[len + 1];
                System.arraycopy(doc, 0, out, 0, at);
                out[at] = value;
                System.arraycopy(doc, at, out, at + 1, len - at);
                return out;
            }
            case 3: { // delete a run
                final int n = Math.min(len - at, 1 + random.nextInt(4));
                final byte[] out = new byte[len - n];
                System.arraycopy(doc, 0, out, 0, at);
                System.arraycopy(doc, at + n, out, at, len - at - n);
                return out;
            }
            case 4: { // duplicate a run (repeats keys, nests brackets, grows payloads)
                final int n = Math.min(len - at, 1 + random.nextInt(40));
                final byte[] out = new byte[len + n];
                System.arraycopy(doc, 0, out, 0, at + n);
                System.arraycopy(doc, at, out, at + n, len - at);
                return out;
            }
            default: // truncate
                return Arrays.copyOf(doc, at);
        }
    }
}
