package dev.relay.core.sink.bot;

import dev.relay.codec.transcode.Pcm16ToUlaw8k;
import java.util.Arrays;

/**
 * Bot audio (μ-law 8 kHz) collected for the next outbound message to the caller. Grows by doubling;
 * a buffer grown past {@link #KEEP_BYTES} is let go after it was taken, so one long utterance does
 * not pin memory for the rest of the call. IO loop only.
 */
final class PlayoutBatch implements Pcm16ToUlaw8k.UlawSink {
    /** Capacity kept between batches: 4 s of μ-law. */
    static final int KEEP_BYTES = 32 * 1024;

    private byte[] bytes = new byte[1024];
    private int length;

    @Override
    public void append(byte[] src, int off, int len) {
        if (length + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + len));
        }
        System.arraycopy(src, off, bytes, length, len);
        length += len;
    }

    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    /** The collected audio as a new array of its exact length (the call keeps it); empties the batch. */
    byte[] take() {
        byte[] out = Arrays.copyOf(bytes, length);
        clear();
        return out;
    }

    /** Drops what was collected; returns how many bytes that was. */
    int clear() {
        int dropped = length;
        length = 0;
        if (bytes.length > KEEP_BYTES) {
            bytes = new byte[1024];
        }
        return dropped;
    }
}
