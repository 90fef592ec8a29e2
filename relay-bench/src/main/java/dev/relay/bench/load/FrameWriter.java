package dev.relay.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes one RTP media message as a complete, masked client WebSocket frame (RFC 6455 §5.2) into
 * a pooled buffer: the message is composed in a scratch array from {@link MediaMessages}' shared
 * pre-encoded parts, then copied into the frame eight bytes at a time under a fresh random mask.
 * Writing the frame bytes directly skips Netty's frame encoder and its second copy; nothing but
 * the pooled buffer is allocated per frame.
 *
 * <p>One per generator event loop; not thread-safe.
 */
final class FrameWriter {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] BASE64 = MediaMessages.ascii(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;

    private final MediaMessages messages;
    private final byte[] scratch = new byte[MediaMessages.MAX_MESSAGE];
    private final byte[] header = new byte[MediaMessages.RTP_HEADER];
    private final byte[] digits = new byte[20];

    FrameWriter(MediaMessages messages) {
        this.messages = messages;
    }

    /** Frames in the looped clip. */
    int clipFrames() {
        return messages.clip.frameCount();
    }

    /**
     * The frame for RTP packet ({@code seq}, {@code rtpTs}, {@code ssrc}) carrying clip frame
     * {@code clipFrame}, in {@code form}, with the Alohaa {@code timestamp} {@code timestampMs}.
     */
    ByteBuf write(ByteBufAllocator alloc, byte[] mediaPrefix, LoadOptions.Form form, int clipFrame, int seq,
            long rtpTs, long ssrc, boolean marker, long timestampMs) {
        rtpHeader(seq, rtpTs, ssrc, marker);
        byte[] payload = messages.clip.frame(clipFrame);
        int n;
        int opcode = OPCODE_TEXT;
        switch (form) {
            case BINARY -> {
                System.arraycopy(header, 0, scratch, 0, header.length);
                System.arraycopy(payload, 0, scratch, header.length, payload.length);
                n = header.length + payload.length;
                opcode = OPCODE_BINARY;
            }
            case BASE64 -> {
                n = put(mediaPrefix, 0);
                scratch[n++] = '"';
                n = base64Header(n);
                n = put(messages.base64Payload[clipFrame], n);
                n = put(MediaMessages.BASE64_CLOSE, n);
                n = putDecimal(timestampMs, n);
                scratch[n++] = '}';
            }
            default -> {
                n = put(mediaPrefix, 0);
                n = put(MediaMessages.BUFFER_OPEN, n);
                for (int i = 0; i < header.length; i++) {
                    if (i > 0) {
                        scratch[n++] = ',';
                    }
                    n = put(MediaMessages.DECIMAL[header[i] & 0xFF], n);
                }
                n = put(messages.bufferPayload[clipFrame], n);
                n = put(MediaMessages.BUFFER_CLOSE, n);
                n = putDecimal(timestampMs, n);
                scratch[n++] = '}';
            }
        }
        return frame(alloc, opcode, scratch, n);
    }

    /** A masked client frame of {@code length} bytes of {@code data}. */
    static ByteBuf frame(ByteBufAllocator alloc, int opcode, byte[] data, int length) {
        ByteBuf out = alloc.directBuffer(length + 14);
        out.writeByte(0x80 | opcode);
        if (length < 126) {
            out.writeByte(0x80 | length);
        } else if (length <= 0xFFFF) {
            out.writeByte(0x80 | 126);
            out.writeShort(length);
        } else {
            out.writeByte(0x80 | 127);
            out.writeLong(length);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        out.writeInt(mask);
        long mask64 = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            out.writeLong((long) LONG_BE.get(data, i) ^ mask64);
        }
        for (; i < length; i++) {
            out.writeByte(data[i] ^ (mask >>> (24 - ((i & 3) << 3))));
        }
        return out;
    }

    private void rtpHeader(int seq, long ts, long ssrc, boolean marker) {
        header[0] = (byte) 0x80;
        header[1] = (byte) (marker ? 0x80 : 0x00);
        header[2] = (byte) (seq >>> 8);
        header[3] = (byte) seq;
        header[4] = (byte) (ts >>> 24);
        header[5] = (byte) (ts >>> 16);
        header[6] = (byte) (ts >>> 8);
        header[7] = (byte) ts;
        header[8] = (byte) (ssrc >>> 24);
        header[9] = (byte) (ssrc >>> 16);
        header[10] = (byte) (ssrc >>> 8);
        header[11] = (byte) ssrc;
    }

    private int base64Header(int n) {
        for (int i = 0; i < header.length; i += 3) {
            int v = (header[i] & 0xFF) << 16 | (header[i + 1] & 0xFF) << 8 | (header[i + 2] & 0xFF);
            scratch[n++] = BASE64[v >>> 18];
            scratch[n++] = BASE64[(v >>> 12) & 63];
            scratch[n++] = BASE64[(v >>> 6) & 63];
            scratch[n++] = BASE64[v & 63];
        }
        return n;
    }

    private int put(byte[] bytes, int at) {
        System.arraycopy(bytes, 0, scratch, at, bytes.length);
        return at + bytes.length;
    }

    private int putDecimal(long value, int at) {
        long v = Math.max(0, value);
        int d = digits.length;
        do {
            digits[--d] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v > 0);
        int len = digits.length - d;
        System.arraycopy(digits, d, scratch, at, len);
        return at + len;
    }
}
