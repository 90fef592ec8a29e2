package dev.relay.core.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.testing.TestData;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Shared fixtures for the telephony JSON tests: frame builders, a real RTP packet,
 * and {@link #scanAllWays} which scans one document through a heap buffer, a pooled
 * direct buffer and a byte array and checks that all three agree.
 */
public final class TelephonyFrames {
    public static final String CALL_ID = "a47f91c2e8d44b77b65f13f9";

    private TelephonyFrames() {}

    /** The first 20 ms RTP packet (12-byte header + 160 μ-law bytes) of the shared speech vector. */
    public static byte[] rtpPacket() {
        final byte[] records = TestData.bytes("speech_8k_pcmu_rtp.bin");
        final int len = (records[0] & 0xFF) << 8 | records[1] & 0xFF;
        return Arrays.copyOfRange(records, 2, 2 + len);
    }

    public static String bufferJson(byte[] data) {
        final StringBuilder sb = new StringBuilder("{\"type\":\"Buffer\",\"data\":[");
        for (int i = 0; i < data.length; i++) {
            sb.append(i == 0 ? "" : ",").append(data[i] & 0xFF);
        }
        return sb.append("]}").toString();
    }

    public static String base64Json(byte[] data) {
        return '"' + Base64.getEncoder().encodeToString(data) + '"';
    }

    public static String alohaaMedia(String callIdJson, String payloadJson, String timestampJson) {
        return "{\"event\":\"media\",\"callId\":" + callIdJson + ",\"payload\":" + payloadJson
                + ",\"timestamp\":" + timestampJson + "}";
    }

    public static String envelopeMedia(String streamSid, String base64, String timestampJson) {
        return "{\"event\":\"media\",\"sequenceNumber\":\"3\",\"streamSid\":\"" + streamSid + "\","
                + "\"media\":{\"track\":\"inbound\",\"chunk\":\"1\",\"timestamp\":" + timestampJson
                + ",\"payload\":\"" + base64 + "\"}}";
    }

    /** What one scan reported, with the id offset made relative to the document's first byte. */
    public record Scanned(MediaEventRejection rejection, MediaEventKind event, String callId, int callIdOffset,
            int callIdRawLength, boolean hasTimestamp, long timestamp, PayloadForm form, byte[] payload,
            MediaTrack track) {
        boolean accepted() {
            return rejection == MediaEventRejection.NONE;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scanned s && toString().equals(s.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }

        @Override
        public String toString() {
            return rejection + " " + event + " id=" + callId + "@" + callIdOffset + "/" + callIdRawLength
                    + " ts=" + hasTimestamp + ":" + timestamp + " " + form + " " + Arrays.toString(payload)
                    + " " + track;
        }
    }

    public static Scanned scanAllWays(String json) {
        return scanAllWays(json.getBytes(StandardCharsets.UTF_8), 64 * 1024);
    }

    public static Scanned scanAllWays(String json, int dstCapacity) {
        return scanAllWays(json.getBytes(StandardCharsets.UTF_8), dstCapacity);
    }

    /**
     * Scans {@code doc} as a heap buffer and a pooled direct buffer (both with junk before the
     * reader index and after the writer index), and as a byte-array slice; asserts all agree
     * and that no index moved. Every buffer is released.
     */
    public static Scanned scanAllWays(byte[] doc, int dstCapacity) {
        final MediaEventScanner scanner = new MediaEventScanner();
        final Scanned fromHeap = scanBuffer(scanner, Unpooled.buffer(doc.length + 16), doc, dstCapacity);
        final Scanned fromDirect = scanBuffer(
                scanner, PooledByteBufAllocator.DEFAULT.directBuffer(doc.length + 16), doc, dstCapacity);
        final byte[] src = new byte[doc.length + 10];
        Arrays.fill(src, (byte) '}');
        System.arraycopy(doc, 0, src, 7, doc.length);
        final byte[] dst = new byte[dstCapacity + 3];
        final Scanned fromArray = snapshot(scanner, scanner.scan(src, 7, doc.length, dst, 3), 7, dst, 3);
        assertThat(fromDirect).isEqualTo(fromHeap);
        assertThat(fromArray).isEqualTo(fromHeap);
        return fromHeap;
    }

    private static Scanned scanBuffer(MediaEventScanner scanner, ByteBuf buf, byte[] doc, int dstCapacity) {
        try {
            buf.writeBytes("}}}junk".getBytes(StandardCharsets.US_ASCII));
            buf.readerIndex(buf.writerIndex());
            buf.writeBytes(doc);
            final int readerIndex = buf.readerIndex();
            final int writerIndex = buf.writerIndex();
            buf.setBytes(writerIndex, "\"trailing".getBytes(StandardCharsets.US_ASCII)); // beyond writerIndex
            final byte[] dst = new byte[dstCapacity + 5];
            final MediaEventRejection r = scanner.scan(buf, dst, 5);
            assertThat(buf.readerIndex()).isEqualTo(readerIndex);
            assertThat(buf.writerIndex()).isEqualTo(writerIndex);
            final Scanned s = snapshot(scanner, r, readerIndex, dst, 5);
            if (s.callId() != null) {
                // The reported offset really points at the id as written in the frame.
                final String raw = buf.toString(scanner.callIdOffset(), scanner.callIdRawLength(),
                        StandardCharsets.UTF_8);
                assertThat(scanner.callIdHasEscapes() ? raw.contains("\\") : raw.equals(s.callId())).isTrue();
            }
            // Scanning the same frame twice gives the same result.
            final byte[] again = new byte[dstCapacity];
            assertThat(snapshot(scanner, scanner.scan(buf, again, 0), readerIndex, again, 0)).isEqualTo(s);
            return s;
        } finally {
            buf.release();
        }
    }

    private static Scanned snapshot(MediaEventScanner s, MediaEventRejection r, int base, byte[] dst, int dstOff) {
        assertThat(r).isSameAs(s.rejection());
        assertThat(s.payloadLength()).isBetween(0, dst.length - dstOff);
        final byte[] payload = Arrays.copyOfRange(dst, dstOff, dstOff + s.payloadLength());
        return new Scanned(r, s.event(), s.hasCallId() ? s.callIdString() : null,
                s.hasCallId() ? s.callIdOffset() - base : -1, s.callIdRawLength(), s.hasTimestamp(),
                s.timestamp(), s.payloadForm(), payload, s.track());
    }
}
