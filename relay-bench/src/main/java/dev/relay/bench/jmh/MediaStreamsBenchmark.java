package dev.relay.bench.jmh;

import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * One Media Streams {@code media} message per operation, as the two streaming sinks write theirs:
 * the bot sink from an array into a pooled heap buffer (20 ms of μ-law is 160 bytes, of L16 640),
 * the session-stream sink from a pooled direct chunk into a new pooled buffer of the channel's
 * allocator (20 ms and 100 ms of PCM16 at 16 kHz). The message buffer is allocated and released
 * per operation, as a socket write releases it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MediaStreamsBenchmark {
    static {
        System.setProperty("io.netty.allocator.useCacheForAllThreads", "true");
    }

    @Param({"160", "640", "3200"})
    public int audioBytes;

    private final MediaStreamsWriter bot = new MediaStreamsWriter("MZ0123456789abcdef0123456789abcdef",
            new Layout(SidAt.LAST, SidAt.AFTER_EVENT, SidAt.AFTER_SEQUENCE, SidAt.AFTER_SEQUENCE));
    private final MediaStreamsWriter session =
            new MediaStreamsWriter("sess-0123456789abcdef", Layout.everywhere(SidAt.LAST));
    private byte[] audio;
    private ByteBuf chunk;
    private long sequence;

    @Setup
    public void setUp() {
        audio = new byte[audioBytes];
        new Random(11).nextBytes(audio);
        chunk = PooledByteBufAllocator.DEFAULT.directBuffer(audioBytes).writeBytes(audio);
    }

    @TearDown
    public void tearDown() {
        chunk.release();
    }

    @Benchmark
    public int botMedia() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.heapBuffer(bot.mediaLength(audioBytes));
        sequence++;
        bot.media(out, sequence, sequence, sequence * 20, audio, 0, audioBytes);
        int n = out.writerIndex();
        out.release();
        return n;
    }

    @Benchmark
    public int sessionMedia() {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(session.mediaLength(audioBytes));
        sequence++;
        session.media(out, sequence, sequence, sequence * 20, chunk);
        int n = out.writerIndex();
        out.release();
        return n;
    }
}
