package dev.relay.bench.jmh;

import dev.relay.codec.jitter.JitterBuffer;
import dev.relay.codec.jitter.JitterOutput;
import dev.relay.codec.rtp.RtpHeader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One packet through the jitter buffer: push of the next packet in sequence and its emission.
 * The sequence runs through the 16-bit wrap as the benchmark loops.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class JitterBufferBenchmark implements JitterOutput {
    private final byte[] packet = Packets.rtp(172, 0, 0);
    private final RtpHeader rtp = new RtpHeader();
    private JitterBuffer jitter;
    private int sequence;
    private long timestamp;
    private long now;
    private long sink;

    /** Built here rather than in a field initialiser, which would leak {@code this} (javac's this-escape). */
    @Setup
    public void setUp() {
        jitter = new JitterBuffer(3, 60_000_000L, 2048, this);
    }

    @Benchmark
    public long pushPop() {
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + 160) & 0xFFFF_FFFFL;
        Packets.setSequence(packet, sequence);
        Packets.setTimestamp(packet, timestamp);
        rtp.wrap(packet, 0, packet.length);
        now += 20_000_000L;
        jitter.push(rtp, now);
        return sink;
    }

    @Override
    public void onPayload(int payloadType, long rtpTimestamp, boolean marker, byte[] payload, int offset, int length) {
        sink += payload[offset] + length;
    }

    @Override
    public void onConceal(long rtpTimestamp, int samples) {
        sink += samples;
    }
}
