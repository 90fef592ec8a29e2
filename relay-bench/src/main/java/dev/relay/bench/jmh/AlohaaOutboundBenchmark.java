package dev.relay.bench.jmh;

import dev.relay.core.ingress.AlohaaOutbound;
import dev.relay.core.net.MediaStreamsWriter;
import dev.relay.core.net.MediaStreamsWriter.Layout;
import dev.relay.core.net.MediaStreamsWriter.SidAt;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of encoding one second (8000 bytes) of μ-law bot audio for the telephony
 * peer: Alohaa's Buffer JSON digit list (up to 4 text bytes per audio byte) and,
 * for comparison, the envelope's base64. The output buffer is reused (cleared per
 * call), pooled direct as a channel's allocator gives it, or heap.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AlohaaOutboundBenchmark {
    private static final String STREAM_SID = "a47f91c2e8d44b77b65f13f9";
    private static final byte[] CALL_ID = STREAM_SID.getBytes(StandardCharsets.UTF_8);
    /** The envelope as the ingress writes it toward a peer (EnvelopeProtocol): streamSid after the event. */
    private final MediaStreamsWriter envelope =
            new MediaStreamsWriter(STREAM_SID, Layout.everywhere(SidAt.AFTER_EVENT));

    @Param({"8000"})
    public int audioBytes;

    @Param({"direct", "heap"})
    public String buffer;

    private byte[] audio;
    private ByteBuf out;

    @Setup
    public void setUp() {
        audio = new byte[audioBytes];
        new Random(11).nextBytes(audio);
        final int capacity = 4 * audioBytes + 256;
        out = "heap".equals(buffer)
                ? PooledByteBufAllocator.DEFAULT.heapBuffer(capacity)
                : PooledByteBufAllocator.DEFAULT.directBuffer(capacity);
    }

    @TearDown
    public void tearDown() {
        out.release();
    }

    @Benchmark
    public void alohaaMedia(Blackhole bh) {
        out.clear();
        AlohaaOutbound.writeMedia(out, CALL_ID, audio, 0, audio.length, 1649433600000L);
        bh.consume(out.writerIndex());
    }

    @Benchmark
    public void envelopeMedia(Blackhole bh) {
        out.clear();
        envelope.playMedia(out, audio, 0, audio.length);
        bh.consume(out.writerIndex());
    }
}
