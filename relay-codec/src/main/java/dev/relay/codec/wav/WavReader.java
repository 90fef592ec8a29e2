package dev.relay.codec.wav;

import static dev.relay.codec.wav.WavLayout.DATA;
import static dev.relay.codec.wav.WavLayout.FACT;
import static dev.relay.codec.wav.WavLayout.FMT;
import static dev.relay.codec.wav.WavLayout.RF64;
import static dev.relay.codec.wav.WavLayout.RIFF;
import static dev.relay.codec.wav.WavLayout.RIFX;
import static dev.relay.codec.wav.WavLayout.TAG_EXTENSIBLE;
import static dev.relay.codec.wav.WavLayout.U32_MAX;
import static dev.relay.codec.wav.WavLayout.WAVE;
import static dev.relay.codec.wav.WavLayout.quote;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Parses the header of a RIFF/WAVE file held in memory and says where its audio is, without
 * copying it. Built for untrusted input (uploads, bot audio).
 *
 * <p>Walks the chunks after {@code RIFF....WAVE}, skipping unknown ones ({@code LIST}, {@code bext},
 * ...) and honouring the pad byte after odd-sized chunks, until it has both {@code fmt } and
 * {@code data}; they may come in either order. A {@code fact} chunk met on the way is reported. The
 * RIFF size field is not trusted (streaming writers often leave it wrong); the input's length is.
 * A data chunk larger than the input is clamped, see {@link WavHeader}.
 *
 * <p>For any bytes at all, the only exception thrown is {@link WavFormatException} (its message
 * names the problem); nothing is allocated from a declared size, and the walk always moves forward,
 * so it ends in time linear in the input. Bad {@code off}/{@code len} arguments are a programming
 * error and throw {@link IndexOutOfBoundsException}.
 *
 * <p>Stateless and thread-safe. Reads at absolute indices: a buffer's position and limit are not
 * moved.
 */
public final class WavReader {
    /** Bytes 4..15 of KSDATAFORMAT_SUBTYPE_{PCM,ALAW,MULAW}: {@code xxxxxxxx-0000-0010-8000-00AA00389B71}. */
    private static final byte[] GUID_BASE_TAIL = {
        0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71
    };

    private final ByteBuffer buf;
    private final int start;
    private final int end;

    private WavFormat format;
    private int fileTag;
    private boolean haveData;
    private int dataOffset;
    private int dataLength;
    private long declaredDataBytes;
    private boolean truncated;
    private long factFrames = -1;
    /** Why the chunk walk ended before finding both chunks, for the "missing" messages. */
    private String walkStop = "";

    private WavReader(ByteBuffer buf, int start, int end) {
        this.buf = buf;
        this.start = start;
        this.end = end;
    }

    /** Parses a whole array. */
    public static WavHeader read(byte[] src) throws WavFormatException {
        return read(src, 0, src.length);
    }

    /** Parses {@code src[off .. off+len)}; offsets in the result index {@code src}. */
    public static WavHeader read(byte[] src, int off, int len) throws WavFormatException {
        Objects.checkFromIndexSize(off, len, src.length);
        return new WavReader(ByteBuffer.wrap(src), off, off + len).parse();
    }

    /**
     * Parses the buffer's bytes from its position to its limit, whatever its byte order; offsets in
     * the result are absolute indices into {@code buf}. The position is not moved.
     */
    public static WavHeader read(ByteBuffer buf) throws WavFormatException {
        return new WavReader(buf, buf.position(), buf.limit()).parse();
    }

    private WavHeader parse() throws WavFormatException {
        final int available = end - start;
        if (available < 12) {
            throw new WavFormatException("RIFF header truncated: " + available + " bytes, need 12");
        }
        final int id = i32(start);
        if (id != RIFF) {
            if (id == RIFX) {
                throw new WavFormatException("big-endian RIFX files are not supported");
            }
            if (id == RF64) {
                throw new WavFormatException("RF64 files are not supported");
            }
            throw new WavFormatException("not a RIFF file: chunk id " + quote(id));
        }
        final long riffSize = u32(start + 4);
        final int form = i32(start + 8);
        if (form != WAVE) {
            throw new WavFormatException("not a WAVE file: form type " + quote(form));
        }
        walkChunks(riffSize + 8 == available);
        if (format == null) {
            throw new WavFormatException("fmt chunk missing" + walkStop);
        }
        if (!haveData) {
            throw new WavFormatException("data chunk missing" + walkStop);
        }
        return new WavHeader(format, fileTag, dataOffset, dataLength, declaredDataBytes, truncated, factFrames);
    }

    private void walkChunks(boolean riffSizeMatchesInput) throws WavFormatException {
        long pos = start + 12L;
        while (end - pos >= 8) {
            final int p = (int) pos;
            final int id = i32(p);
            final long size = u32(p + 4);
            final int body = p + 8;
            final long remaining = end - body;
            if (id == FMT) {
                readFmt(body, size, remaining);
            } else if (id == DATA && !haveData) {
                haveData = true;
                dataOffset = body;
                declaredDataBytes = size;
                // An unfixed streaming header: all-ones, or zero in a file whose RIFF size is stale too.
                final boolean sizeUnknown = size == U32_MAX || (size == 0 && remaining > 0 && !riffSizeMatchesInput);
                if (sizeUnknown || size > remaining) {
                    dataLength = (int) remaining;
                    truncated = true;
                    walkStop = " (data chunk at offset " + (p - start) + " runs to the end of the input)";
                    return;
                }
                dataLength = (int) size;
            } else if (id == FACT && size >= 4 && remaining >= 4) {
                factFrames = u32(body);
            }
            if (format != null && haveData) {
                return;
            }
            final long next = body + size + (size & 1);
            if (next > end) {
                walkStop = " (chunk " + quote(id) + " at offset " + (p - start) + " declares " + size
                        + " bytes, " + remaining + " remain)";
                return;
            }
            pos = next;
        }
    }

    private void readFmt(int p, long size, long remaining) throws WavFormatException {
        if (format != null) {
            throw new WavFormatException("duplicate fmt chunk");
        }
        if (size < 16) {
            throw new WavFormatException("fmt chunk too short: " + size + " bytes, need 16");
        }
        if (size > remaining) {
            throw new WavFormatException("fmt chunk size " + size + " exceeds file (remaining " + remaining + ")");
        }
        final int tag = u16(p);
        final int channels = u16(p + 2);
        final long sampleRateHz = u32(p + 4);
        final int blockAlign = u16(p + 12);
        final int bits = u16(p + 14);
        int encodingTag = tag;
        if (tag == TAG_EXTENSIBLE) {
            encodingTag = readExtensible(p, size, bits);
        }
        final WavFormat.Encoding encoding = WavFormat.Encoding.forFormatTag(encodingTag);
        if (encoding == null) {
            throw new WavFormatException((tag == TAG_EXTENSIBLE
                            ? "unsupported WAVE_FORMAT_EXTENSIBLE sub-format tag "
                            : "unsupported format tag ")
                    + encodingTag + " (" + WavLayout.tagName(encodingTag) + ")");
        }
        final String problem = WavFormat.check(encoding, sampleRateHz, channels, bits);
        if (problem != null) {
            throw new WavFormatException(problem);
        }
        final int expectedAlign = channels * (bits / 8);
        if (blockAlign != expectedAlign) {
            throw new WavFormatException(
                    "block align " + blockAlign + " does not match channels×bits/8 = " + expectedAlign);
        }
        format = WavFormat.of(encoding, (int) sampleRateHz, channels, bits);
        fileTag = tag;
    }

    /** Returns the sub-format's plain format tag (PCM 1, A-law 6, μ-law 7, or another to reject). */
    private int readExtensible(int p, long size, int bits) throws WavFormatException {
        if (size < 40) {
            throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE fmt chunk too short: " + size + " bytes, need 40");
        }
        final int cbSize = u16(p + 16);
        if (cbSize < 22) {
            throw new WavFormatException("WAVE_FORMAT_EXTENSIBLE cbSize " + cbSize + ", need 22");
        }
        final int validBits = u16(p + 18);
        final long data1 = u32(p + 24);
        if (data1 > 0xFFFF || !hasBaseGuidTail(p + 28)) {
            throw new WavFormatException("unsupported WAVE_FORMAT_EXTENSIBLE sub-format " + guid(p + 24));
        }
        if (validBits > bits) {
            throw new WavFormatException("valid bits per sample " + validBits + " exceeds container " + bits);
        }
        return (int) data1;
    }

    private boolean hasBaseGuidTail(int p) {
        for (int i = 0; i < GUID_BASE_TAIL.length; i++) {
            if (buf.get(p + i) != GUID_BASE_TAIL[i]) {
                return false;
            }
        }
        return true;
    }

    /** Registry form of the GUID at {@code p}: {@code {00000055-0000-0010-8000-00AA00389B71}}. */
    private String guid(int p) {
        StringBuilder sb = new StringBuilder(38).append('{');
        sb.append(String.format("%08X-%04X-%04X-", u32(p), u16(p + 4), u16(p + 6)));
        for (int i = 8; i < 16; i++) {
            if (i == 10) {
                sb.append('-');
            }
            sb.append(String.format("%02X", buf.get(p + i) & 0xFF));
        }
        return sb.append('}').toString();
    }

    private int u16(int i) {
        return (buf.get(i) & 0xFF) | (buf.get(i + 1) & 0xFF) << 8;
    }

    private int i32(int i) {
        return (buf.get(i) & 0xFF) | (buf.get(i + 1) & 0xFF) << 8 | (buf.get(i + 2) & 0xFF) << 16 | buf.get(i
                + 3) << 24;
    }

    private long u32(int i) {
        return i32(i) & U32_MAX;
    }
}
