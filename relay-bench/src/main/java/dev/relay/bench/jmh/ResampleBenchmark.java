package dev.relay.bench.jmh;

import dev.relay.codec.resample.Decimator;
import dev.relay.codec.resample.HalfBandUpsampler;
import java.util.SplittableRandom;
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

/** 8 → 16 kHz of one 20 ms frame (160 → 320), and 16 → 8 kHz back (320 → 160). Budget ≤ 3 µs each. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ResampleBenchmark {
    private final HalfBandUpsampler upsampler = new HalfBandUpsampler();
    private final Decimator decimator = Decimator.to8k(16000);
    private final short[] in8k = new short[160];
    private final short[] in16k = new short[320];
    private final short[] out16k = new short[320];
    private final short[] out8k = new short[160];

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 320; i++) {
            in16k[i] = (short) random.nextInt(-20000, 20000);
        }
        System.arraycopy(in16k, 0, in8k, 0, 160);
    }

    @Benchmark
    public short[] upsample160() {
        upsampler.process(in8k, 0, 160, out16k, 0);
        return out16k;
    }

    @Benchmark
    public short[] downsample320() {
        decimator.process(in16k, 0, 320, out8k, 0);
        return out8k;
    }
}
