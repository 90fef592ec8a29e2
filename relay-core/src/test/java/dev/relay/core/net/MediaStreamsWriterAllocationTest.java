package dev.relay.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Audio messages cost no allocation in steady state, whatever the buffers: the writer's own
 * arrays are grown once. The buffers come from an allocator with leak detection disabled: at
 * PARANOID every access to a tracked buffer records a stack trace, which is the detector
 * allocating, not the writer.
 */
@Timeout(120)
class MediaStreamsWriterAllocationTest {
    /** A constant, not per message: one-off JVM activity shows up as a few KiB in a first window. */
    private static final long TOLERANCE_BYTES = 16 * 1024;
    private static final int MESSAGES = 100_000;
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(true, true);

    private final MediaStreamsWriter writer =
            new MediaStreamsWriter("MZ0123456789abcdef0123456789abcdef", Layout.everywhere(SidAt.LAST));
    private final byte[] audio = new byte[640];

    @Test
    void mediaFromAnArrayIntoHeapAndDirectBuffers() {
        for (ByteBuf out : new ByteBuf[] {UNTRACKED.heapBuffer(2048), UNTRACKED.directBuffer(2048)}) {
            assertThat(allocated(out, o -> writer.media(o, 7, 6, 120, audio, 0, audio.length)))
                    .isLessThan(TOLERANCE_BYTES);
        }
    }

    @Test
    void mediaFromADirectChunkIntoADirectBuffer() {
        ByteBuf chunk = UNTRACKED.directBuffer(640).writeBytes(audio);
        try {
            assertThat(allocated(UNTRACKED.directBuffer(2048), o -> writer.media(o, 7, 6, 120, chunk)))
                    .isLessThan(TOLERANCE_BYTES);
        } finally {
            chunk.release();
        }
    }

    @Test
    void playMediaIntoHeapAndDirectBuffers() {
        for (ByteBuf out : new ByteBuf[] {UNTRACKED.heapBuffer(2048), UNTRACKED.directBuffer(2048)}) {
            assertThat(allocated(out, o -> writer.playMedia(o, audio, 0, audio.length))).isLessThan(TOLERANCE_BYTES);
        }
    }

    private static long allocated(ByteBuf out, Consumer<ByteBuf> message) {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        try {
            long written = loop(out, message, 20_000); // warm up: JIT, scratch growth
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            written += loop(out, message, MESSAGES);
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(written).isPositive();
            return allocated;
        } finally {
            out.release();
        }
    }

    private static long loop(ByteBuf out, Consumer<ByteBuf> message, int n) {
        long written = 0;
        for (int i = 0; i < n; i++) {
            out.clear();
            message.accept(out);
            written += out.writerIndex();
        }
        return written;
    }
}
