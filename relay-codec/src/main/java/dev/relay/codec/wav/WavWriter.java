package dev.relay.codec.wav;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a WAV file incrementally to a seekable channel, then fixes its sizes at {@link #close()};
 * also builds whole WAVs in memory ({@link #writeHeader}, {@link #toWav}).
 *
 * <p>The header goes first with every size field {@code 0xFFFFFFFF}, so a file cut short by a crash
 * still reads (as "to the end of the file") with {@link WavReader} and most tools. {@link
 * #updateHeader()} writes the current sizes without closing; {@link #close()} appends the pad byte
 * an odd data length needs, writes the final sizes, and closes the channel. The header is the
 * canonical one described in {@link WavLayout}: 44 bytes for PCM, 58 for A-law/μ-law (with
 * {@code fact}), byte-identical to what sox writes for μ-law.
 *
 * <p>Writes copy through one reusable 8 KiB buffer: nothing is allocated per call. Not thread-safe;
 * one writer per file, used from one thread at a time. The writer owns the channel.
 */
public final class WavWriter implements Closeable {
    private static final int BUFFER_BYTES = 8192;

    private final SeekableByteChannel channel;
    private final WavFormat format;
    private final long headerPosition;
    private final byte[] header;
    private final long maxDataBytes;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final ShortBuffer shortView = buffer.asShortBuffer();
    private long dataBytes;
    private boolean closed;

    /**
     * Starts a WAV at the channel's current position (normally 0) by writing a placeholder header.
     * Takes ownership of {@code channel}: it is closed by {@link #close()}, or here if the header
     * cannot be written.
     */
    public WavWriter(SeekableByteChannel channel, WavFormat format) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.format = Objects.requireNonNull(format, "format");
        this.header = new byte[WavLayout.headerLength(format)];
        this.maxDataBytes = WavLayout.maxDataBytes(format);
        try {
            this.headerPosition = channel.position();
            WavLayout.putHeader(header, 0, format, WavLayout.U32_MAX, WavLayout.U32_MAX, WavLayout.U32_MAX);
            writeFully(ByteBuffer.wrap(header));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    /** Creates (or truncates) {@code path} and starts a WAV in it. */
    public static WavWriter create(Path path, WavFormat format) throws IOException {
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return new WavWriter(channel, format);
    }

    /** The format being written. */
    public WavFormat format() {
        return format;
    }

    /** Audio bytes written so far (excluding header and pad byte). */
    public long dataBytes() {
        return dataBytes;
    }

    /** Whole sample frames written so far. */
    public long frames() {
        return dataBytes / format.blockAlign();
    }

    /**
     * Appends 16-bit samples (interleaved when stereo) as little-endian PCM.
     *
     * @throws IllegalStateException if the format is not 16-bit PCM
     * @throws IllegalArgumentException if {@code len} is not a whole number of frames
     * @throws IOException if the file would exceed 4 GiB (nothing is written) or the channel fails
     */
    public void write(short[] src, int off, int len) throws IOException {
        if (format.encoding() != WavFormat.Encoding.PCM || format.bitsPerSample() != 16) {
            throw new IllegalStateException("short samples need 16-bit PCM, format is " + format);
        }
        Objects.checkFromIndexSize(off, len, src.length);
        final long bytes = 2L * len;
        checkWritable(bytes);
        int done = 0;
        while (done < len) {
            final int n = Math.min(len - done, BUFFER_BYTES / 2);
            shortView.clear();
            shortView.put(src, off + done, n);
            buffer.clear().limit(2 * n);
            writeFully(buffer);
            done += n;
        }
        dataBytes += bytes;
    }

    /**
     * Appends already-coded audio bytes: μ-law/A-law codes, or little-endian PCM.
     *
     * @throws IllegalArgumentException if {@code len} is not a whole number of frames
     * @throws IOException if the file would exceed 4 GiB (nothing is written) or the channel fails
     */
    public void write(byte[] src, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, src.length);
        checkWritable(len);
        int done = 0;
        while (done < len) {
            final int n = Math.min(len - done, BUFFER_BYTES);
            buffer.clear();
            buffer.put(src, off + done, n).flip();
            writeFully(buffer);
            done += n;
        }
        dataBytes += len;
    }

    /**
     * Writes the sizes of what has been written so far into the header, then returns to the end.
     * Lets a long recording survive a crash with a correct header up to this point.
     */
    public void updateHeader() throws IOException {
        ensureOpen();
        final long endPosition = channel.position();
        channel.position(headerPosition);
        WavLayout.putHeader(header, 0, format, dataBytes);
        writeFully(ByteBuffer.wrap(header));
        channel.position(endPosition);
    }

    /**
     * Pads an odd data length, writes the final sizes and closes the channel. Idempotent: later
     * calls do nothing. The channel is closed even if fixing the header fails.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if ((dataBytes & 1) != 0) {
                buffer.clear();
                buffer.put((byte) 0).flip();
                writeFully(buffer);
            }
            updateHeader();
        } catch (IOException | RuntimeException e) {
            closed = true;
            closeQuietly(channel, e);
            throw e;
        }
        closed = true;
        channel.close();
    }

    /** Length of the canonical header for {@code format}: 44 for PCM, 58 for A-law/μ-law. */
    public static int headerLength(WavFormat format) {
        return WavLayout.headerLength(format);
    }

    /**
     * Writes a complete canonical header for {@code dataBytes} of audio into {@code dst[off..]}.
     * The caller appends the data (and, when {@code dataBytes} is odd, one zero pad byte).
     *
     * @return the header length, {@link #headerLength(WavFormat)}
     * @throws IllegalArgumentException if {@code dataBytes} is negative or not whole frames
     * @throws IndexOutOfBoundsException if the header does not fit in {@code dst}
     */
    public static int writeHeader(byte[] dst, int off, WavFormat format, int dataBytes) {
        checkWholeFrames(format, dataBytes);
        Objects.checkFromIndexSize(off, WavLayout.headerLength(format), dst.length);
        return WavLayout.putHeader(dst, off, format, dataBytes);
    }

    /**
     * A whole WAV file in a new array: header, {@code data[off .. off+len)}, and the pad byte if
     * {@code len} is odd. For sending short clips (bot audio as μ-law 8 kHz WAV) in one message.
     */
    public static byte[] toWav(WavFormat format, byte[] data, int off, int len) {
        checkWholeFrames(format, len);
        Objects.checkFromIndexSize(off, len, data.length);
        final int headerBytes = WavLayout.headerLength(format);
        final byte[] wav = new byte[headerBytes + len + (len & 1)];
        WavLayout.putHeader(wav, 0, format, len);
        System.arraycopy(data, off, wav, headerBytes, len);
        return wav;
    }

    private static void checkWholeFrames(WavFormat format, long bytes) {
        if (bytes < 0 || bytes % format.blockAlign() != 0) {
            throw new IllegalArgumentException(
                    bytes + " data bytes is not a whole number of " + format.blockAlign() + "-byte frames");
        }
    }

    private void checkWritable(long bytes) throws IOException {
        ensureOpen();
        checkWholeFrames(format, bytes);
        if (dataBytes + bytes > maxDataBytes) {
            throw new IOException("WAV data would reach " + (dataBytes + bytes) + " bytes, the format's limit is "
                    + maxDataBytes);
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    private void writeFully(ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    private static void closeQuietly(SeekableByteChannel channel, Exception cause) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
