package dev.relay.bench.jmh;

import dev.relay.core.config.StreamConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallAudio;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.StreamingSink;
import dev.relay.core.sink.StreamingSinkGroup;
import dev.relay.core.sink.WireAudio;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The media thread's share of a network sink, per 20 ms frame, on the production
 * {@link StreamingSink}: PCM16 into the chunk being built, and per full chunk a pooled buffer, the
 * drop-oldest queue offer and the wake-up of the sink's IO loop (a real Netty loop, which drains
 * the queue meanwhile and releases each chunk as a socket write would). {@code chunkMs} 20 is the
 * session-stream / bot default, 100 the aiOla one. Frames go round-robin to 500 calls' sinks, as a
 * DSP thread spreads its calls, so each sink's loop has its turn between that sink's frames.
 * Budget ≤ 1 µs per frame, 0 B/op.
 *
 * <p>The DSP threads are Netty {@code FastThreadLocalThread}s, whose pooled-buffer caches JMH's
 * own thread lacks; {@code useCacheForAllThreads}, set before Netty loads (a JVM flag would be
 * replaced by {@code scripts/bench}'s own {@code -jvmArgsAppend}), gives it the same caches.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class StreamingSinkBenchmark {
    static {
        System.setProperty("io.netty.allocator.useCacheForAllThreads", "true");
    }

    @Param({"20", "100"})
    public int chunkMs;

    /** Calls served round-robin, as one DSP thread serves many: each sink sees a frame every 500 operations. */
    private static final int CALLS = 500;

    private EventLoopGroup loops;
    private final DiscardingSink[] sinks = new DiscardingSink[CALLS];
    private final AudioSpan frame = new AudioSpan();
    private int next;
    private long position;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        StreamConfig config = new StreamConfig(500, 1000, 100, 1000, 1000);
        StreamingSinkGroup group = new StreamingSinkGroup("bench", config);
        EventBus events = new EventBus();
        for (int i = 0; i < CALLS; i++) {
            sinks[i] = new DiscardingSink(group, chunkMs);
            sinks[i].open(new CallContext("bench" + i, "default", "", 0, events, loops.next(), CallAudio.NONE));
        }
        short[] pcm = frame.pcm16k();
        for (int i = 0; i < 320; i++) {
            pcm[i] = (short) (i * 97);
        }
        Thread.sleep(50); // the link comes up on the loop
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        for (DiscardingSink sink : sinks) {
            sink.close("benchmark over");
        }
        Thread.sleep(100);
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Benchmark
    public long onAudio() {
        DiscardingSink sink = sinks[next];
        if (++next == CALLS) {
            next = 0;
            position += 320;
        }
        frame.set(position, 320, System.nanoTime(), false);
        sink.onAudio(frame);
        return position;
    }

    /** A destination that is always up and writable and throws each chunk away once "written". */
    static final class DiscardingSink extends StreamingSink {
        DiscardingSink(StreamingSinkGroup group, int chunkMs) {
            super(group, WireAudio.PCM16_16K, chunkMs);
        }

        @Override
        protected void connect() {
            linkUp();
        }

        @Override
        protected boolean writable() {
            return true;
        }

        @Override
        protected void send(ByteBuf audio, long startSample16k, int samples16k) {
            audio.release();
        }

        @Override
        protected void flush() {}

        @Override
        protected void finish(boolean connected, String reason, Runnable done) {
            done.run();
        }
    }
}
