package dev.relay.bench.jmh;

import dev.relay.core.scanner.MediaEventRejection;
import dev.relay.core.scanner.MediaEventScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of scanning one inbound Alohaa media frame (the per-20 ms hot path of every
 * call): a 172-byte RTP packet (12-byte header + 160 μ-law bytes) carried as Buffer
 * JSON (~650 bytes of text) or as base64, from a pooled direct buffer as the
 * WebSocket decoder hands it over. Run with {@code -prof gc}: allocation should be 0.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MediaEventScannerBenchmark {
    private static final String CALL_ID = "a47f91c2e8d44b77b65f13f9";

    private final MediaEventScanner scanner = new MediaEventScanner();
    private final byte[] payload = new byte[1500];
    private ByteBuf bufferJsonFrame;
    private ByteBuf base64Frame;

    @Setup
    public void setUp() {
        final byte[] rtp = rtpPacket(172);
        bufferJsonFrame = directFrame("{\"event\":\"media\",\"callId\":\"" + CALL_ID + "\",\"payload\":"
                + bufferJson(rtp) + ",\"timestamp\":1649433600000}");
        base64Frame = directFrame("{\"event\":\"media\",\"callId\":\"" + CALL_ID + "\",\"payload\":\""
                + Base64.getEncoder().encodeToString(rtp) + "\",\"timestamp\":1649433600000}");
        if (scanner.scan(bufferJsonFrame, payload, 0) != MediaEventRejection.NONE
                || scanner.scan(base64Frame, payload, 0) != MediaEventRejection.NONE) {
            throw new IllegalStateException("benchmark frames rejected: " + scanner.rejection());
        }
    }

    @TearDown
    public void tearDown() {
        bufferJsonFrame.release();
        base64Frame.release();
    }

    @Benchmark
    public void scanBufferJson(Blackhole bh) {
        bh.consume(scanner.scan(bufferJsonFrame, payload, 0));
        bh.consume(scanner.payloadLength());
    }

    @Benchmark
    public void scanBase64(Blackhole bh) {
        bh.consume(scanner.scan(base64Frame, payload, 0));
        bh.consume(scanner.payloadLength());
    }

    /** RTP v2, PT 0 (PCMU), then μ-law-like bytes. */
    static byte[] rtpPacket(int length) {
        final byte[] rtp = new byte[length];
        new Random(7).nextBytes(rtp);
        rtp[0] = (byte) 0x80;
        rtp[1] = 0;
        return rtp;
    }

    static String bufferJson(byte[] data) {
        final StringBuilder sb = new StringBuilder("{\"type\":\"Buffer\",\"data\":[");
        for (int i = 0; i < data.length; i++) {
            sb.append(i == 0 ? "" : ",").append(data[i] & 0xFF);
        }
        return sb.append("]}").toString();
    }

    private static ByteBuf directFrame(String json) {
        final byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }
}
