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
 * {@link StreamingSink}: PCM16 into the chunk being built, and per full chunk the drop-oldest queue
 * offer and the wake-up of the sink's IO loop (a real Netty loop, which drains the queue meanwhile,
 * keeps the next chunk's buffer ready and releases each chunk as a socket write would). This is the
 * hand-off of {@code relay.dsp.mode = dedicated}; inline (the default) runs the same code on the
 * loop itself, without the wake-up. {@code chunkMs} 20 is the session-stream / bot default, 100
 * the aiOla one. Frames go round-robin to 500 calls' sinks, as a DSP thread spreads its calls.
 * Budget ≤ 1 µs per frame, 0 B/op.
 *
 * <p>Paced to the relay's steady state: a sink's next frame waits until its loop has sent that
 * sink's last full chunk. In the relay a sink's frames come 20 ms apart and its loop, unless the
 * relay is overloaded, has drained the chunk long before. Unpaced, JMH's thread fed frames faster
 * than the loop took them whenever the loop lost its core (a shared 2-core machine): the loop had
 * not yet put the next buffer ready, so the media thread allocated one itself (a pooled buffer
 * object its recycler does not get back from the loop, ≈ 120 B per chunk), and the loop's task
 * queue grew. That is the overloaded relay's fallback, not its steady state; it showed as ≈ 11
 * B/op at {@code chunkMs} 20 in {@code scripts/bench}, and 90–110 B/op on a busier machine. With
 * the loop keeping up the pacing costs two volatile reads per frame; when the loop cannot keep up,
 * the score includes the wait, so it is never lower than the loop's own cost per chunk.
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
    /** How long the pacing waits for a loop before it gives up on it (a loop that stopped draining). */
    private static final long STALL_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private EventLoopGroup loops;
    private final DiscardingSink[] sinks = new DiscardingSink[CALLS];
    private final AudioSpan frame = new AudioSpan();
    private int next;
    private long position;
    private int framesPerChunk;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        framesPerChunk = chunkMs / 20;
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
        for (DiscardingSink sink : sinks) {
            awaitUp(sink);
        }
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
        awaitDrained(sink);
        frame.set(position, 320, System.nanoTime(), false);
        sink.onAudio(frame);
        return position;
    }

    /** The pacing: waits until the loop has sent every full chunk of {@code sink}. */
    private void awaitDrained(DiscardingSink sink) {
        long full = sink.framesIn() / framesPerChunk * framesPerChunk;
        if (sink.framesSent() >= full) {
            return;
        }
        long start = System.nanoTime();
        while (sink.framesSent() < full) {
            Thread.onSpinWait();
            if (System.nanoTime() - start > STALL_LIMIT_NANOS) {
                throw new IllegalStateException("the sink loop stopped draining");
            }
        }
    }

    /** The link comes up on the loop ({@link DiscardingSink#connect}); audio before it would only queue. */
    private static void awaitUp(DiscardingSink sink) throws InterruptedException {
        long deadline = System.nanoTime() + STALL_LIMIT_NANOS;
        while (!sink.up) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the sink link did not come up");
            }
            Thread.sleep(1);
        }
    }

    /** A destination that is always up and writable and throws each chunk away once "written". */
    static final class DiscardingSink extends StreamingSink {
        /** Set on the loop once {@link #connect} reported the link up. */
        volatile boolean up;

        DiscardingSink(StreamingSinkGroup group, int chunkMs) {
            super(group, WireAudio.PCM16_16K, chunkMs);
        }

        @Override
        protected void connect() {
            linkUp();
            up = true;
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
