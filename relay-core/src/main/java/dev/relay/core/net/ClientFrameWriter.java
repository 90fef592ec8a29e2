package dev.relay.core.net;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a buffer's readable bytes into one complete, masked WebSocket client frame (RFC 6455 §5.2)
 * in place: the frame header goes into the headroom before the reader index and the payload is
 * masked where it lies. A sink's chunk already has that headroom (its {@code ChunkHeader}, read
 * before the send), so a chunk leaves as it was built: no frame object, no encoder copy, no
 * second buffer. Netty's WebSocket encoder passes a plain {@link ByteBuf} through untouched.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |1|0|0|0|opcode |1| len (7)     | extended len (16 or 64, opt.) |
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * | masking key (32)                                              |
 * +---------------------------------------------------------------+
 * | masked payload ...                                            |
 * </pre>
 *
 * <p>Also frames a small constant message into a fresh buffer ({@link #write}). Stateless and
 * thread-safe; allocates nothing for {@link #frameInPlace}. The masking key comes from
 * {@link ThreadLocalRandom} per frame, as Netty's own encoder takes it.
 */
public final class ClientFrameWriter {
    public static final int OPCODE_TEXT = 0x1;
    public static final int OPCODE_BINARY = 0x2;
    /** The longest client frame header: 2 bytes, a 64-bit length, the 4-byte key. */
    public static final int MAX_HEADER_BYTES = 14;

    private ClientFrameWriter() {}

    /** Bytes the header of a client frame with {@code payloadBytes} of payload takes. */
    public static int headerBytes(int payloadBytes) {
        if (payloadBytes < 126) {
            return 6;
        }
        return payloadBytes <= 0xFFFF ? 8 : 14;
    }

    /**
     * Frames {@code buf}'s readable bytes as one final client frame of {@code opcode}: writes the
     * header just before the reader index, moves the reader index back onto it and masks the
     * payload in place. The caller keeps ownership of {@code buf}, now the whole frame.
     *
     * @throws IllegalArgumentException when the reader index leaves less than
     *     {@link #headerBytes headerBytes} of headroom
     */
    public static ByteBuf frameInPlace(ByteBuf buf, int opcode) {
        final int payload = buf.readableBytes();
        final int header = headerBytes(payload);
        final int start = buf.readerIndex() - header;
        if (start < 0) {
            throw new IllegalArgumentException("needs " + header + " bytes of headroom, has " + buf.readerIndex());
        }
        final int mask = maskingKey();
        mask(buf, buf.readerIndex(), payload, mask);
        writeHeader(buf, start, opcode, payload, mask);
        buf.readerIndex(start);
        return buf;
    }

    /** Appends {@code data} as one masked client frame of {@code opcode} at {@code out}'s writer index. */
    public static void write(ByteBuf out, int opcode, byte[] data) {
        final int header = headerBytes(data.length);
        final int start = out.writerIndex();
        out.ensureWritable(header + data.length);
        final int mask = maskingKey();
        out.writerIndex(start + header);
        out.writeBytes(data);
        mask(out, start + header, data.length, mask);
        writeHeader(out, start, opcode, data.length, mask);
    }

    private static void writeHeader(ByteBuf buf, int at, int opcode, int payload, int mask) {
        buf.setByte(at, 0x80 | opcode);
        int p = at + 1;
        if (payload < 126) {
            buf.setByte(p++, 0x80 | payload);
        } else if (payload <= 0xFFFF) {
            buf.setByte(p++, 0x80 | 126);
            buf.setShort(p, payload);
            p += 2;
        } else {
            buf.setByte(p++, 0x80 | 127);
            buf.setLong(p, payload);
            p += 8;
        }
        buf.setInt(p, mask);
    }

    /**
     * XORs {@code [from, from + length)} with the key repeated, eight bytes at a time through the
     * buffer's own NIO view: one buffer access in all (each buffer access is a bounds check, and
     * under the tests' paranoid leak detector a recorded stack trace).
     */
    static void mask(ByteBuf buf, int from, int length, int mask) {
        if (length == 0) {
            return;
        }
        if (buf.nioBufferCount() != 1) {
            for (int i = 0; i < length; i++) {
                buf.setByte(from + i, buf.getByte(from + i) ^ (mask >>> (24 - ((i & 3) << 3))));
            }
            return;
        }
        final ByteBuffer nio = buf.internalNioBuffer(from, length);
        final int base = nio.position();
        final long mask64 = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
        int i = 0;
        for (final int words = length & ~7; i < words; i += 8) {
            nio.putLong(base + i, nio.getLong(base + i) ^ mask64);
        }
        for (; i < length; i++) {
            nio.put(base + i, (byte) (nio.get(base + i) ^ (mask >>> (24 - ((i & 3) << 3)))));
        }
    }

    private static int maskingKey() {
        return ThreadLocalRandom.current().nextInt();
    }
}
