package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.g711.MuLaw;
import dev.relay.codec.resample.HalfBandUpsampler;
import dev.relay.codec.wav.WavHeader;
import dev.relay.codec.wav.WavReader;
import dev.relay.core.config.MediaConfig;
import dev.relay.core.config.RecorderConfig;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.sink.recorder.RecorderSinkFactory;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import dev.relay.core.testing.RelayTestBase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timeline property (SPEC §4.4, issue 13 item 2): for random mixes of speech, comfort noise,
 * telephone events, spans with no packets, loss and reordering ({@link TimelineCase}), the samples
 * every sink receives are the call's RTP timeline: decoded audio where packets arrived and silence
 * of the exact length everywhere else. Seeded, so a failure names a case that replays.
 *
 * <p>The pipeline runs as the relay runs it: one packet every 20 ms of clock, a tick after each,
 * so long fills are paid out over later ticks while packets wait behind them.
 */
@Timeout(300)
class TimelinePropertyTest {
    private static final int CASES = 300;
    private static final int RECORDED_EVERY = 15;

    @Test
    void everySinkReceivesTheCallsRtpTimeline(@TempDir Path dir) throws Exception {
        for (int c = 0; c < CASES; c++) {
            long seed = 0x5EED_0000L + c;
            TimelineCase tc = TimelineCase.generate(seed, 15 + c % 40);
            boolean record = c % RECORDED_EVERY == 0;
            run(tc, "case-" + c, record ? dir.resolve("case-" + c) : null, c % 2 == 0);
        }
    }

    private static void run(TimelineCase tc, String callId, Path recordings, boolean pcm16) throws Exception {
        EventBus events = new EventBus();
        CallContext context = new CallContext(callId, "default", "", 0, events);
        MemorySink memory = (MemorySink) new MemorySinkFactory().create(context);
        RecorderSinkFactory recorder = recordings == null ? null : new RecorderSinkFactory(new RecorderConfig(
                recordings, pcm16 ? RecorderConfig.Format.PCM16 : RecorderConfig.Format.ULAW, 120_000));
        Sink recorded = recorder == null ? null : recorder.create(context);
        List<Sink> sinks = recorded == null ? List.of(memory) : List.of(memory, recorded);
        CallStats stats = new CallStats();
        CallPipeline p = new CallPipeline(context, stats, new Fanout(sinks), new MediaConfig(3, 60, 101, 2048));
        p.start();
        long clock = 0;
        for (TimelineCase.Packet packet : tc.sent) {
            clock += 20_000_000L;
            p.onRtp(packet.bytes(), 0, packet.bytes().length, clock);
            p.tick(clock);
            if (recorded != null && recorded.queueDepth() > 1000) {
                RelayTestBase.waitUntil(() -> recorded.queueDepth() < 100); // the disk, not the relay, is slow
            }
        }
        p.finish("end");

        short[] want8k = tc.timeline8k();
        short[] want16k = new short[want8k.length * 2];
        new HalfBandUpsampler().process(want8k, 0, want8k.length, want16k, 0);
        assertThat(memory.timelineError()).as(tc.description).isNull();
        short[] got = memory.samples();
        assertThat(got.length).as("%s: samples at the memory sink", tc.description).isEqualTo(want16k.length);
        assertThat(firstDifference(got, want16k)).as("%s: first differing sample", tc.description).isEqualTo(-1);
        assertThat(stats.late()).as(tc.description).isZero();

        if (recorder != null) {
            recorder.shutdown(30_000);
            assertThat(recorded.framesDropped()).as(tc.description).isZero();
            byte[] wav = onlyFile(recordings);
            WavHeader h = WavReader.read(wav);
            assertThat(h.truncated()).isFalse();
            if (pcm16) {
                short[] file = new short[h.dataLength() / 2];
                ByteBuffer.wrap(wav, h.dataOffset(), h.dataLength()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer()
                        .get(file);
                assertThat(file.length).as("%s: samples in the recording", tc.description).isEqualTo(want16k.length);
                assertThat(firstDifference(file, want16k)).as(tc.description).isEqualTo(-1);
            } else {
                byte[] want = new byte[want8k.length];
                MuLaw.encode(want8k, 0, want, 0, want8k.length);
                assertThat(Arrays.copyOfRange(wav, h.dataOffset(), h.dataOffset() + h.dataLength()))
                        .as("%s: μ-law recording", tc.description).isEqualTo(want);
            }
        }
    }

    private static int firstDifference(short[] a, short[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    private static byte[] onlyFile(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).hasSize(1);
            return Files.readAllBytes(all.get(0));
        }
    }
}
