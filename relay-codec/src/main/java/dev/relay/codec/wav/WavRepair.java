package dev.relay.codec.wav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Fixes the size fields of a WAV file its writer never closed: a streaming header's placeholders
 * ({@code 0xFFFFFFFF}), or sizes last synced before the process died. The audio is taken to run
 * from the data chunk to the end of the file, so the data chunk must be the file's last chunk, as
 * it is in every file {@link WavWriter} writes.
 *
 * <p>A file is left alone when its RIFF size already matches its length (a closed file). A
 * repaired file drops a trailing partial sample frame, gets the pad byte an odd data length needs,
 * and its RIFF, {@code fact} and data sizes are rewritten in place. Nothing else is touched.
 *
 * <p>Stateless; blocking file IO, for start-up or a writer thread, never an event loop.
 */
public final class WavRepair {
    /** Header bytes read to find the chunks: far more than any header this package writes. */
    static final int HEADER_PROBE_BYTES = 4096;

    /** What {@link #repair} did. */
    public enum Outcome {
        /** The sizes already matched the file. */
        INTACT,
        /** The sizes were rewritten. */
        REPAIRED,
        /** Not a WAV file this class understands: left alone. */
        NOT_WAV
    }

    /**
     * The outcome and, when repaired, the audio bytes the header now declares.
     *
     * @param outcome what was done
     * @param dataBytes the data chunk's size after the repair, or -1 when not repaired
     * @param declaredBefore the data chunk's size field before the repair (unsigned), or -1
     */
    public record Result(Outcome outcome, long dataBytes, long declaredBefore) {}

    private WavRepair() {}

    /** Repairs the file open in {@code channel} (readable and writable) if its sizes are stale. */
    public static Result repair(FileChannel channel) throws IOException {
        final long length = channel.size();
        final ByteBuffer probe = ByteBuffer.allocate((int) Math.min(HEADER_PROBE_BYTES, length))
                .order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        while (probe.hasRemaining() && n >= 0) {
            n = channel.read(probe, probe.position());
        }
        final byte[] head = probe.array();
        final WavHeader header;
        try {
            header = WavReader.read(head, 0, probe.position());
        } catch (WavFormatException e) {
            return new Result(Outcome.NOT_WAV, -1, -1);
        }
        final long riffSize = probe.getInt(4) & WavLayout.U32_MAX;
        if (riffSize + 8 == length) {
            return new Result(Outcome.INTACT, -1, -1);
        }
        final WavFormat format = header.format();
        final int dataOffset = header.dataOffset();
        final long present = Math.max(0, length - dataOffset);
        final long dataBytes = Math.min(present - present % format.blockAlign(), WavLayout.maxDataBytes(format));
        final long fileBytes = dataOffset + dataBytes + (dataBytes & 1);
        if (length > fileBytes) {
            channel.truncate(fileBytes);
        } else if (length < fileBytes) {
            channel.write(ByteBuffer.wrap(new byte[1]), length); // the pad byte after odd data
        }
        final int factFrames = findFact(probe, dataOffset - 8);
        putU32(channel, 4, fileBytes - 8);
        if (factFrames >= 0) {
            putU32(channel, factFrames, dataBytes / format.blockAlign());
        }
        putU32(channel, dataOffset - 4, dataBytes);
        return new Result(Outcome.REPAIRED, dataBytes, header.declaredDataBytes());
    }

    /** Offset of the {@code fact} chunk's frame count among the chunks before {@code dataChunk}, or -1. */
    private static int findFact(ByteBuffer head, int dataChunk) {
        long pos = 12;
        while (pos + 8 <= dataChunk) {
            final int p = (int) pos;
            final long size = head.getInt(p + 4) & WavLayout.U32_MAX;
            if (head.getInt(p) == WavLayout.FACT && size >= 4) {
                return p + 8;
            }
            pos = p + 8 + size + (size & 1);
        }
        return -1;
    }

    private static void putU32(FileChannel channel, long position, long value) throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, (int) value);
        while (b.hasRemaining()) {
            channel.write(b, position + b.position());
        }
    }
}
