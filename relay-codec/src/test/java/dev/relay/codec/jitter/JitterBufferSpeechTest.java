package dev.relay.codec.jitter;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.relay.codec.rtp.RtpHeader;
import dev.relay.codec.rtp.RtpRejection;
import dev.relay.codec.testing.RtpPackets;
import dev.relay.codec.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The reference RTP stream ({@code speech_8k_pcmu_rtp.bin}) through the jitter buffer. */
@Timeout(20)
class JitterBufferSpeechTest {
    private static final long MS = 1_000_000L;

    /** Concatenates payloads in order; counts concealment. */
    private static final class Collect implements JitterOutput {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Long> timestamps = new ArrayList<>();
        int conceals;

        @Override
        public void onPayload(int payloadType, long rtpTimestamp, boolean marker, byte[] payload, int offset,
                int length) {
            bytes.write(payload, offset, length);
            timestamps.add(rtpTimestamp);
        }

        @Override
        public void onConceal(long rtpTimestamp, int samples) {
            conceals++;
        }
    }

    private static Collect run(List<byte[]> records) {
        Collect out = new Collect();
        JitterBuffer jb = new JitterBuffer(3, 60 * MS, 1024, out);
        RtpHeader rtp = new RtpHeader();
        long now = 0;
        for (byte[] r : records) {
            assertThat(rtp.wrap(r, 0, r.length)).isEqualTo(RtpRejection.NONE);
            jb.push(rtp, now);
            now += 20 * MS;
        }
        jb.flush();
        return out;
    }

    private static byte[] expectedPayloads() {
        byte[] ulaw = TestData.bytes("speech_8k.ulaw");
        byte[] expected = new byte[426 * 160];
        Arrays.fill(expected, (byte) 0xFF);
        System.arraycopy(ulaw, 0, expected, 0, ulaw.length);
        return expected;
    }

    @Test
    void passesReferenceStreamInOrderWithoutConcealment() {
        List<byte[]> records = RtpPackets.framedRecords(TestData.bytes("speech_8k_pcmu_rtp.bin"));
        Collect out = run(records);
        assertThat(out.timestamps).hasSize(426);
        assertThat(out.conceals).isZero();
        assertThat(out.bytes.toByteArray()).isEqualTo(expectedPayloads());
        assertThat(out.timestamps.get(0)).isEqualTo(0xFFFF_C180L);
        assertThat(out.timestamps.get(425)).isEqualTo(52_000L);
    }

    @Test
    void restoresReferenceStreamWithSwappedPairsToIdenticalBytes() {
        List<byte[]> records = RtpPackets.framedRecords(TestData.bytes("speech_8k_pcmu_rtp.bin"));
        // Swaps include the sequence wrap (35/36), the timestamp wrap (99/100) and the last pair.
        int[] firstOfPair = {0, 5, 35, 99, 200, 301, 424};
        for (int i : firstOfPair) {
            Collections.swap(records, i, i + 1);
        }
        Collect out = run(records);
        assertThat(out.conceals).isZero();
        assertThat(out.timestamps).hasSize(426 - 1); // record 1 arrived first and started the stream
        Collect straight = run(RtpPackets.framedRecords(TestData.bytes("speech_8k_pcmu_rtp.bin")).subList(1, 426));
        assertThat(out.bytes.toByteArray()).isEqualTo(straight.bytes.toByteArray());
    }

    @Test
    void restoresSwappedPairsAfterFirstPacketToIdenticalBytes() {
        List<byte[]> records = RtpPackets.framedRecords(TestData.bytes("speech_8k_pcmu_rtp.bin"));
        int[] firstOfPair = {5, 35, 99, 200, 301, 424};
        for (int i : firstOfPair) {
            Collections.swap(records, i, i + 1);
        }
        Collect out = run(records);
        assertThat(out.conceals).isZero();
        assertThat(out.timestamps).hasSize(426);
        assertThat(out.bytes.toByteArray()).isEqualTo(expectedPayloads());
    }

    @Test
    void allocatesNothingPerPacketInSteadyState() {
        // Prebuilt stream: pairs swapped, every 50th packet lost, looped (each loop resets).
        List<byte[]> stream = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            if (i % 50 != 49) {
                stream.add(JitterHarness.packet((65000 + i) & 0xFFFF, 160L * i, 7, 160));
            }
        }
        for (int i = 3; i + 1 < stream.size(); i += 7) {
            Collections.swap(stream, i, i + 1);
        }
        byte[][] packets = stream.toArray(new byte[0][]);
        long[] sink = new long[1];
        JitterOutput out = new JitterOutput() {
            @Override
            public void onPayload(int pt, long ts, boolean marker, byte[] payload, int offset, int length) {
                sink[0] += payload[offset] + length;
            }

            @Override
            public void onConceal(long ts, int samples) {
                sink[0] += samples;
            }
        };
        JitterBuffer jb = new JitterBuffer(3, 60 * MS, 1024, out);
        RtpHeader rtp = new RtpHeader();
        long[] now = {0};
        Runnable pass = () -> {
            for (byte[] p : packets) {
                rtp.wrap(p, 0, p.length);
                jb.push(rtp, now[0]);
                now[0] += 20 * MS;
                jb.poll(now[0]);
            }
        };
        for (int i = 0; i < 20; i++) {
            pass.run();
        }
        ThreadMXBean threads =
                (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20; i++) {
            pass.run();
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).as("bytes allocated over %d pushes", 20 * packets.length).isLessThan(1024);
        assertThat(jb.stats().concealedGaps()).isPositive();
        assertThat(jb.stats().reordered()).isPositive();
        assertThat(sink[0]).isNotZero();
    }
}
