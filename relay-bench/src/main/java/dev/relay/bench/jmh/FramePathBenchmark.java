package dev.relay.bench.jmh;

import dev.relay.core.call.CallPipeline;
import dev.relay.core.call.CallStats;
import dev.relay.core.call.Fanout;
import dev.relay.core.config.MediaConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import java.util.List;
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
 * The whole per-frame media path of a call, the production {@link CallPipeline}: RTP validation,
 * jitter buffer, μ-law decode, 8 → 16 kHz upsampling and fan-out to one sink that reads the
 * frame. Budget ≤ 4 µs, 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class FramePathBenchmark {
    private final byte[] packet = Packets.rtp(172, 0, 0);
    private final CountingSink sink = new CountingSink();
    private CallPipeline pipeline;
    private int sequence;
    private long timestamp;
    private long now;

    @Setup
    public void setUp() {
        CallContext context = new CallContext("bench", "default", "", 0, new EventBus());
        pipeline = new CallPipeline(context, new CallStats(), new Fanout(List.of(sink)),
                new MediaConfig(3, 60, 101, 2048));
        pipeline.start();
    }

    @Benchmark
    public long rtpToUpsampled() {
        sequence = (sequence + 1) & 0xFFFF;
        timestamp = (timestamp + 160) & 0xFFFF_FFFFL;
        Packets.setSequence(packet, sequence);
        Packets.setTimestamp(packet, timestamp);
        now += 20_000_000L;
        pipeline.onRtp(packet, 0, packet.length, now);
        return sink.checksum;
    }

    /** Reads every frame so the work cannot be optimised away. */
    static final class CountingSink implements Sink {
        long checksum;

        @Override
        public String name() {
            return "count";
        }

        @Override
        public void open(CallContext call) {}

        @Override
        public void onAudio(AudioSpan frame) {
            checksum += frame.pcm16k()[frame.samples16k() - 1] + frame.samples16k();
        }

        @Override
        public void close(String reason) {}

        @Override
        public long framesDropped() {
            return 0;
        }

        @Override
        public long framesIn() {
            return checksum;
        }

        @Override
        public long bytesOut() {
            return 0;
        }
    }
}
