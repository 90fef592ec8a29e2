package dev.relay.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The clip's payloads pre-encoded for each form of Alohaa {@code media} message, so a send only
 * writes the per-call and per-frame parts (call id, RTP header, timestamp) around shared bytes:
 * <pre>
 * buffer: {"event":"media","callId":"ID","payload":{"type":"Buffer","data":[H0,…,H11,P0,…,P159]},"timestamp":T}
 * base64: {"event":"media","callId":"ID","payload":"base64(H)base64(P)","timestamp":T}
 * binary: H0…H11 P0…P159   (a binary WebSocket frame)
 * </pre>
 * The 12-byte RTP header is a whole number of base64 groups, so base64(header + payload) is
 * base64(header) followed by the payload's pre-encoded base64. Immutable; shared by all threads.
 */
final class MediaMessages {
    static final int RTP_HEADER = 12;
    /** Decimal text of 0..255. */
    static final byte[][] DECIMAL = new byte[256][];
    static final byte[] BUFFER_OPEN = ascii("{\"type\":\"Buffer\",\"data\":[");
    static final byte[] BUFFER_CLOSE = ascii("]},\"timestamp\":");
    static final byte[] BASE64_CLOSE = ascii("\",\"timestamp\":");
    /** Longest text message: prefix with a long call id, 172 bytes × 4 chars, a 19-digit timestamp. */
    static final int MAX_MESSAGE = 2048;

    static {
        for (int i = 0; i < 256; i++) {
            DECIMAL[i] = ascii(Integer.toString(i));
        }
    }

    /** Per clip frame: ",P0,P1,…,P159" (the header's decimals come before it). */
    final byte[][] bufferPayload;
    /** Per clip frame: base64 of the 160 payload bytes. */
    final byte[][] base64Payload;
    final SpeechClip clip;

    MediaMessages(SpeechClip clip) {
        this.clip = clip;
        int n = clip.frameCount();
        bufferPayload = new byte[n][];
        base64Payload = new byte[n][];
        for (int f = 0; f < n; f++) {
            byte[] p = clip.frame(f);
            StringBuilder sb = new StringBuilder(p.length * 4);
            for (byte b : p) {
                sb.append(',').append(b & 0xFF);
            }
            bufferPayload[f] = ascii(sb.toString());
            base64Payload[f] = Base64.getEncoder().encode(p);
        }
    }

    /** {@code {"event":"media","callId":"ID","payload":} for one call. */
    static byte[] mediaPrefix(String callId) {
        return ascii("{\"event\":\"media\",\"callId\":\"" + callId + "\",\"payload\":");
    }

    /** The registration message (SPEC §4.1). */
    static String connected(String callId, String mobileNo) {
        return "{\"event\":\"connected\",\"callId\":\"" + callId + "\",\"mobileNo\":\"" + mobileNo + "\"}";
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
