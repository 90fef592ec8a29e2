package dev.relay.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Complete masked client WebSocket frames (RFC 6455 §5.2) written straight into one pooled buffer,
 * with no frame object and no encoder copy: what the floor sends to the fake sinks. Audio of the
 * production size is zeros (the fakes count bytes, they do not listen), so its masked payload is
 * the mask repeated, eight bytes a write. Stateless and thread-safe.
 */
final class ClientFrames {
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    /** Close status 1000 (normal closure), big-endian. */
    private static final byte[] NORMAL_CLOSURE = {0x03, (byte) 0xE8};
    /** Largest frame header: 2 bytes, an 8-byte length, a 4-byte mask. */
    static final int MAX_HEADER = 14;

    private ClientFrames() {}

    /** A buffer holding one binary frame of {@code length} zero bytes. */
    static ByteBuf zeros(ByteBufAllocator alloc, int length) {
        ByteBuf out = alloc.directBuffer(length + MAX_HEADER);
        writeZeros(out, OPCODE_BINARY, length);
        return out;
    }

    /** A buffer holding a close frame with status 1000. */
    static ByteBuf close(ByteBufAllocator alloc) {
        ByteBuf out = alloc.directBuffer(NORMAL_CLOSURE.length + MAX_HEADER);
        write(out, OPCODE_CLOSE, NORMAL_CLOSURE);
        return out;
    }

    /** Writes a frame of {@code length} zero bytes (masked) into {@code out}. */
    static void writeZeros(ByteBuf out, int opcode, int length) {
        int mask = header(out, opcode, length);
        long mask64 = ((long) mask << 32) | (mask & 0xFFFF_FFFFL);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            out.writeLong(mask64);
        }
        for (; i < length; i++) {
            out.writeByte(mask >>> (24 - ((i & 3) << 3)));
        }
    }

    /** Writes a frame carrying {@code data} (masked) into {@code out}. */
    static void write(ByteBuf out, int opcode, byte[] data) {
        int mask = header(out, opcode, data.length);
        for (int i = 0; i < data.length; i++) {
            out.writeByte(data[i] ^ (mask >>> (24 - ((i & 3) << 3))));
        }
    }

    /** Writes the header with a fresh mask and returns the mask. */
    private static int header(ByteBuf out, int opcode, int length) {
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
        return mask;
    }
}
