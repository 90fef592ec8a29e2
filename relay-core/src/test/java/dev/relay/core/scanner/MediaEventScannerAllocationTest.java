package dev.relay.core.scanner;

import static dev.relay.core.scanner.TelephonyFrames.CALL_ID;
import static dev.relay.core.scanner.TelephonyFrames.alohaaMedia;
import static dev.relay.core.scanner.TelephonyFrames.base64Json;
import static dev.relay.core.scanner.TelephonyFrames.bufferJson;
import static dev.relay.core.scanner.TelephonyFrames.envelopeMedia;
import static dev.relay.core.scanner.TelephonyFrames.rtpPacket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.management.ThreadMXBean;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Steady-state scanning must not allocate. The frames come from an allocator with
 * leak detection disabled: at PARANOID every access to a tracked buffer records a
 * stack trace, which is the detector allocating, not the scanner.
 */
@Timeout(120)
class MediaEventScannerAllocationTest {
    /**
     * A constant, not per scan: one-off JVM activity (deoptimisation, lazy init) shows up as a few
     * hundred bytes to a few KiB in the first window of a JVM. A single 16-byte object per scan
     * would be 1.6 MB over 100,000 scans.
     */
    private static final long TOLERANCE_BYTES = 16 * 1024;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void scansAMillionBufferJsonMediaFramesFromADirectBufferWithoutAllocating() {
        final byte[] rtp = rtpPacket();
        final String json = alohaaMedia('"' + CALL_ID + '"', bufferJson(rtp), "1649433600000");
        assertThat(allocatedWhileScanning(direct(json), 1_000_000)).isLessThan(TOLERANCE_BYTES);
    }

    @Test
    void scansOtherMediaFormsWithoutAllocating() {
        final byte[] rtp = rtpPacket();
        final String b64 = Base64.getEncoder().encodeToString(rtp);
        assertThat(allocatedWhileScanning(direct(alohaaMedia('"' + CALL_ID + '"', base64Json(rtp), "1")), 100_000))
                .isLessThan(TOLERANCE_BYTES);
        assertThat(allocatedWhileScanning(direct(envelopeMedia(CALL_ID, b64, "\"20\"")), 100_000))
                .isLessThan(TOLERANCE_BYTES);
        final ByteBuf heap = Unpooled.wrappedBuffer( // an untracked heap buffer: the array path
                ("{\"payload\":" + bufferJson(rtp) + ",\"callId\":\"" + CALL_ID + "\",\"event\":\"media\"}")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(allocatedWhileScanning(heap, 100_000)).isLessThan(TOLERANCE_BYTES);
    }

    private static ByteBuf direct(String json) {
        final ByteBuf buf = new UnpooledByteBufAllocator(true, true).directBuffer(json.length());
        buf.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return buf;
    }

    private static long allocatedWhileScanning(ByteBuf frame, int iterations) {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled());
        try {
            final MediaEventScanner scanner = new MediaEventScanner();
            final byte[] dst = new byte[1024];
            final byte[] id = CALL_ID.getBytes(StandardCharsets.UTF_8);
            long checksum = loop(scanner, frame, dst, id, 50_000); // warm up: JIT, scratch growth
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            checksum += loop(scanner, frame, dst, id, iterations);
            final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(checksum).isPositive();
            return allocated;
        } finally {
            frame.release();
        }
    }

    private static long loop(MediaEventScanner scanner, ByteBuf frame, byte[] dst, byte[] id, int iterations) {
        long checksum = 0;
        for (int i = 0; i < iterations; i++) {
            if (scanner.scan(frame, dst, 0) != MediaEventRejection.NONE || !scanner.callIdEquals(id)) {
                throw new AssertionError("rejected: " + scanner.rejection());
            }
            checksum += scanner.payloadLength() + scanner.timestamp() + dst[i & 127];
        }
        return checksum;
    }
}
