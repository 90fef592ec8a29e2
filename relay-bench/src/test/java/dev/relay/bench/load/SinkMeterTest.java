package dev.relay.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Matching sink audio to frames by timeline position, and the open-loop schedule it is measured
 * against.
 */
class SinkMeterTest {
    private static final long MS = 1_000_000L;
    private static FrameWriter writer;

    @BeforeAll
    static void clip() throws Exception {
        writer = new FrameWriter(new MediaMessages(SpeechClip.load(Path.of(System.getProperty("testdata.dir")))));
    }

    private static SimCall streaming(long startNanos) {
        SimCall call = new SimCall(3, "lt0000003", 1, LoadOptions.Form.BUFFER, 0, 1, 0, 0);
        call.schedule(startNanos, startNanos, 0, startNanos + 10_000 * MS);
        return call;
    }

    @Test
    void everyTwentyMillisecondChunkIsMeasuredFromItsOwnFramesIntendedTime() {
        SimCall call = streaming(1_000 * MS);
        advance(call, 3);
        SinkMeter meter = new SinkMeter("aiola", 0);
        meter.measureWindow(0, Long.MAX_VALUE);
        meter.onAudio(call, 320, 640, call.intendedNanos(0) + 2 * MS);
        meter.onAudio(call, 320, 640, call.intendedNanos(1) + 3 * MS);
        meter.onAudio(call, 320, 640, call.intendedNanos(2) + 4 * MS);
        Histogram h = meter.latency().interval();
        assertThat(h.getTotalCount()).isEqualTo(3);
        assertThat(h.getMinValue()).isEqualTo(h.lowestEquivalentValue(2 * MS));
        assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(4 * MS));
        assertThat(call.sinkFrames[0]).isEqualTo(3);
        assertThat(meter.misaligned()).isZero();
    }

    @Test
    void replayedAudioIsADuplicateNotReceivedTwice() {
        SimCall call = streaming(1_000 * MS);
        advance(call, 6);
        SinkMeter meter = new SinkMeter("session-stream", 0);
        meter.measureWindow(0, Long.MAX_VALUE);
        // Frames 0, 1 and 2 arrive; the connection dies with 3 and 4 in it; after the reconnect the
        // relay replays 2 (delivered but unconfirmed), 3 and 4, then 5 follows.
        for (long f : new long[] {0, 1, 2, 2, 3, 4, 5}) {
            meter.onAudio(call, f * 320, 320, 640, call.intendedNanos(f) + MS);
        }
        assertThat(call.sinkFrames[0]).isEqualTo(6);
        assertThat(meter.duplicateFrames()).isEqualTo(1);
        assertThat(meter.bytes()).as("the wire's bytes, duplicates included").isEqualTo(7 * 640);
        assertThat(meter.misaligned()).isZero();
    }

    @Test
    void aChunkOfFiveFramesIsMeasuredFromItsLastFrame() {
        SimCall call = streaming(0);
        advance(call, 5);
        SinkMeter meter = new SinkMeter("aiola", 0);
        meter.measureWindow(0, Long.MAX_VALUE);
        meter.onAudio(call, 5 * 320, 5 * 640, call.intendedNanos(4) + MS);
        Histogram h = meter.latency().interval();
        assertThat(h.getTotalCount()).isEqualTo(1);
        assertThat(h.getMaxValue()).isEqualTo(h.highestEquivalentValue(MS));
    }

    @Test
    void chunksThatEndMidFrameCountTheFrameWhenItCompletes() {
        SimCall call = streaming(0);
        advance(call, 2);
        SinkMeter meter = new SinkMeter("s", 0);
        meter.measureWindow(0, Long.MAX_VALUE);
        meter.onAudio(call, 480, 960, call.intendedNanos(1) + MS);
        assertThat(call.sinkFrames[0]).isEqualTo(1);
        meter.onAudio(call, 160, 320, call.intendedNanos(1) + 2 * MS);
        assertThat(call.sinkFrames[0]).isEqualTo(2);
        assertThat(meter.latency().interval().getTotalCount()).isEqualTo(2);
    }

    @Test
    void framesOutsideTheMeasuredWindowGoToTheRampHistogram() {
        SimCall call = streaming(0);
        advance(call, 3);
        SinkMeter meter = new SinkMeter("s", 0);
        meter.measureWindow(call.intendedNanos(1), call.intendedNanos(2));
        meter.onAudio(call, 320, 640, call.intendedNanos(0) + MS);
        meter.onAudio(call, 320, 640, call.intendedNanos(1) + MS);
        meter.onAudio(call, 320, 640, call.intendedNanos(2) + MS);
        assertThat(meter.warmup().interval().getTotalCount()).isEqualTo(2);
        assertThat(meter.latency().interval().getTotalCount()).isEqualTo(1);
    }

    @Test
    void callsHangUpInTheOrderTheyCameOverARampDownAsLongAsTheRampUp() {
        RunPlan plan = new RunPlan(0, 10_000 * MS, 0, 60_000 * MS, 1000);
        assertThat(plan.hangUpNanos(0)).isEqualTo(plan.endNanos);
        assertThat(plan.hangUpNanos(500)).isEqualTo(plan.endNanos + 5_000 * MS);
        assertThat(plan.lastHangUpNanos()).isEqualTo(plan.endNanos + 9_990 * MS);
    }

    @Test
    void moreAudioThanTheGeneratorSentIsMisaligned() {
        SimCall call = streaming(0);
        advance(call, 1);
        SinkMeter meter = new SinkMeter("s", 0);
        meter.measureWindow(0, Long.MAX_VALUE);
        meter.onAudio(call, 640, 1280, call.intendedNanos(1));
        assertThat(meter.misaligned()).isEqualTo(1);
    }

    @Test
    void firstFrameGoesInTheFirstSlotOfTheCallsPhaseAfterTheAck() {
        SimCall call = new SimCall(0, "x", 1, LoadOptions.Form.BINARY, 7 * MS, 0, 0, 0);
        long epoch = 1_000 * MS;
        call.schedule(epoch, epoch + 50 * MS, 2 * MS, epoch + 1_000 * MS);
        // Slots of this call: epoch + 7 ms + k × 20 ms; the first at least 52 ms after the epoch is 67 ms.
        assertThat(call.intendedNanos(0)).isEqualTo(epoch + 67 * MS);
        assertThat(call.intendedNanos(1) - call.intendedNanos(0)).isEqualTo(20 * MS);
        // Frames until the end: intended times 67, 87, … 987 ms → 47 frames.
        assertThat(call.framesPlanned()).isEqualTo(47);
    }

    @Test
    void sequenceStartsWithinTwoHundredOfTheWrapAndSsrcsDiffer() {
        SimCall a = new SimCall(1, "a", 9, LoadOptions.Form.BUFFER, 0, 0, 0, 0);
        SimCall b = new SimCall(2, "b", 9, LoadOptions.Form.BUFFER, 0, 0, 0, 0);
        assertThat(a.seqStart).isBetween(65_336, 65_535);
        assertThat(b.seqStart).isBetween(65_336, 65_535);
        assertThat(a.ssrc).isNotEqualTo(b.ssrc);
        assertThat(new SimCall(1, "a", 9, LoadOptions.Form.BUFFER, 0, 0, 0, 0).ssrc).isEqualTo(a.ssrc);
    }

    @Test
    void mixCyclesThePayloadForms() {
        assertThat(new SimCall(0, "a", 1, LoadOptions.Form.MIX, 0, 0, 0, 0).form).isEqualTo(LoadOptions.Form.BUFFER);
        assertThat(new SimCall(1, "a", 1, LoadOptions.Form.MIX, 0, 0, 0, 0).form).isEqualTo(LoadOptions.Form.BASE64);
        assertThat(new SimCall(2, "a", 1, LoadOptions.Form.MIX, 0, 0, 0, 0).form).isEqualTo(LoadOptions.Form.BINARY);
    }

    /** Sends the call's first {@code frames} frames into an embedded channel (released at once). */
    private static void advance(SimCall call, int frames) {
        EmbeddedChannel channel = new EmbeddedChannel();
        call.channel = channel;
        call.sendDue(call.intendedNanos(frames - 1), writer, new LatencyMetric("lag", ""));
        assertThat(call.framesScheduled()).isEqualTo(frames);
        assertThat(call.framesSent).isEqualTo(frames);
        for (Object m; (m = channel.readOutbound()) != null; ) {
            ReferenceCountUtil.release(m);
        }
        channel.finishAndReleaseAll();
    }
}
