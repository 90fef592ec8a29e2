package dev.relay.bench.jmh;

import dev.relay.codec.rtp.RtpHeader;
import dev.relay.codec.rtp.RtpRejection;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Validating wrap of a 172-byte RTP packet plus the reads the pipeline makes. Budget ≤ 20 ns. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RtpBenchmark {
    private final byte[] packet = Packets.rtp(172, 65500, 0xFFFFC180L);
    private final RtpHeader rtp = new RtpHeader();

    @Benchmark
    public void parse(Blackhole bh) {
        RtpRejection r = rtp.wrap(packet, 0, packet.length);
        bh.consume(r);
        bh.consume(rtp.sequence());
        bh.consume(rtp.timestamp());
        bh.consume(rtp.payloadType());
        bh.consume(rtp.payloadOffset());
        bh.consume(rtp.payloadLength());
    }
}
