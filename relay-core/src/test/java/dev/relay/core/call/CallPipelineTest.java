package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.relay.codec.g711.G711;
import dev.relay.core.config.MediaConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import dev.relay.core.sink.Sink;
import dev.relay.core.testing.MemorySinkFactory;
import dev.relay.core.testing.MemorySinkFactory.MemorySink;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The per-call media path, driven directly: payload types, timeline filling, sink isolation. */
class CallPipelineTest {
    private final EventBus events = new EventBus();
    private final List<CallEvent> published = new CopyOnWriteArrayList<>();
    private final CallStats stats = new CallStats();
    private final MemorySink memory = (MemorySink) new MemorySinkFactory().create(context());

    CallPipelineTest() {
        events.subscribe(published::add);
    }

    private CallContext context() {
        return new CallContext("pipe", "default", "", 0, events);
    }

    private CallPipeline pipeline(Sink... sinks) {
        CallPipeline p = new CallPipeline(context(), stats, new Fanout(List.of(sinks)), new MediaConfig(3, 60, 101,
                2048));
        p.start();
        return p;
    }

    static byte[] rtp(int pt, int seq, long ts, boolean marker, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | pt);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (ts >> 24);
        p[5] = (byte) (ts >> 16);
        p[6] = (byte) (ts >> 8);
        p[7] = (byte) ts;
        p[11] = 1;
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    static byte[] ulaw(int n, int code) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) code);
        return b;
    }

    private static void push(CallPipeline p, byte[] packet) {
        p.onRtp(packet, 0, packet.length, 0);
    }

    @Test
    void comfortNoiseBecomesSilenceUntilTheNextAudioPacket() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0x80)));
        push(p, rtp(13, 2, 160, false, new byte[] {40}));
        push(p, rtp(0, 3, 800, false, ulaw(160, 0x80)));
        p.finish("end");
        short[] out = memory.samples();
        assertThat(out.length).isEqualTo((160 + 640 + 160) * 2);
        assertThat(memory.timelineError()).isNull();
        // Well inside the silent span (away from the filter's ringing), the output is silent.
        for (int i = 2 * 160 + 200; i < 2 * 800 - 200; i++) {
            assertThat(out[i]).isZero();
        }
        assertThat(stats.concealedSamples8k()).isEqualTo(640);
    }

    @Test
    void dtmfIsOneEventPerKeyPressDespiteRetransmissions() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0xFF)));
        byte[] start = {5, 0x0A, 0, (byte) 160};
        byte[] end = {5, (byte) 0x8A, 3, 32};
        push(p, rtp(101, 2, 160, true, start));
        push(p, rtp(101, 3, 160, false, new byte[] {5, 0x0A, 1, 64}));
        push(p, rtp(101, 4, 160, false, end));
        push(p, rtp(101, 5, 160, false, end));
        push(p, rtp(101, 6, 160, false, end));
        push(p, rtp(0, 7, 960, false, ulaw(160, 0xFF)));
        p.finish("end");
        List<CallEvent> dtmf = published.stream().filter(e -> e.type().equals("dtmf")).toList();
        assertThat(dtmf).hasSize(1);
        assertThat(dtmf.get(0).data()).containsEntry("digit", "5").containsEntry("end", true)
                .containsEntry("durationMs", 800 / 8);
        assertThat(dtmf.get(0).callId()).isEqualTo("pipe");
        assertThat(memory.samples().length).isEqualTo((160 + 800 + 160) * 2);
    }

    @Test
    void unknownPayloadTypeIsDroppedAndCounted() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0xFF)));
        push(p, rtp(18, 2, 160, false, ulaw(20, 1)));
        assertThat(stats.payloadTypeDropped()).isEqualTo(1);
    }

    @Test
    void lostPacketIsConcealedWithTheLengthTheTimestampsSay() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(80, 0x80)));
        push(p, rtp(0, 2, 80, false, ulaw(80, 0x80)));
        for (int seq = 4; seq <= 8; seq++) {
            push(p, rtp(0, seq, (seq - 1) * 80L, false, ulaw(80, 0x80)));
        }
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo(8 * 80 * 2);
        assertThat(memory.concealedFrames()).isEqualTo(1);
        assertThat(memory.timelineError()).isNull();
    }

    @Test
    void aLongComfortNoiseSpanIsFilledAsItsPacketsArrive() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0x80)));
        // 2.5 s of comfort noise, one CN packet every 100 ms: each fills up to its own timestamp.
        int seq = 2;
        for (long ts = 160; ts < 160 + 20_000; ts += 800) {
            push(p, rtp(13, seq++, ts, false, new byte[] {40}));
            assertThat(memory.samples().length).isEqualTo((int) ts * 2);
        }
        push(p, rtp(0, seq, 20_160, false, ulaw(160, 0x80)));
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo((160 + 20_000 + 160) * 2);
        assertThat(memory.timelineError()).isNull();
        assertThat(stats.concealedSamples8k()).isEqualTo(20_000);
    }

    @Test
    void aLongGapIsPaidOutASecondPerTickWithTheAudioBehindItInOrder() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0x80)));
        // Silence suppression with no packets: 5 s later, three packets, then the clock ticks.
        push(p, rtp(0, 2, 160 + 40_000, false, ulaw(160, 0x10)));
        assertThat(memory.samples().length).as("one batch at once, the packet waits").isEqualTo(
                (160 + Timeline.BATCH_8K) * 2);
        push(p, rtp(0, 3, 320 + 40_000, false, ulaw(160, 0x20)));
        push(p, rtp(0, 4, 480 + 40_000, false, ulaw(160, 0x30)));
        assertThat(p.filling()).isTrue();
        int ticks = 0;
        while (p.filling()) {
            p.tick(0);
            ticks++;
            assertThat(memory.samples().length).isLessThanOrEqualTo((160 + (ticks + 1) * Timeline.BATCH_8K + 480) * 2);
        }
        assertThat(ticks).isEqualTo(4);
        p.finish("end");
        short[] out = memory.samples();
        assertThat(out.length).isEqualTo((160 + 40_000 + 480) * 2);
        assertThat(memory.timelineError()).isNull();
        assertThat(stats.concealedSamples8k()).isEqualTo(40_000);
        // The three held packets come out in order after the silence: decoded levels rise.
        int base = (160 + 40_000) * 2;
        assertThat(Math.abs(out[base + 200])).isGreaterThan(Math.abs(out[base + 2 * 320 + 200]));
    }

    @Test
    void aGapLongerThanMaxFillIsFilledToTheCapCountedAndReported() {
        long cappedBefore = MediaGaps.cappedGaps();
        CallPipeline p = new CallPipeline(context(), stats, new Fanout(List.of(memory)),
                new MediaConfig(3, 60, 101, 2048, 2000));
        p.start();
        push(p, rtp(0, 1, 0, true, ulaw(160, 0x80)));
        push(p, rtp(0, 2, 160 + 56_000, false, ulaw(160, 0x80))); // 7 s of nothing, cap 2 s
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo((160 + 16_000 + 160) * 2);
        assertThat(memory.timelineError()).isNull();
        assertThat(MediaGaps.cappedGaps()).isEqualTo(cappedBefore + 1);
        List<CallEvent> gaps = published.stream().filter(e -> e.type().equals("media.gap")).toList();
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).callId()).isEqualTo("pipe");
        assertThat(gaps.get(0).data()).containsEntry("gapMs", 7000L).containsEntry("filledMs", 2000L);
    }

    @Test
    void aStepBackInTimestampsIsNotAGap() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 100_000, true, ulaw(160, 0x80)));
        push(p, rtp(0, 2, 100_000 - 80, false, ulaw(160, 0x80))); // overlaps the first packet
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo(320 * 2);
        assertThat(published).noneMatch(e -> e.type().equals("media.gap"));
    }

    @Test
    void aNewSsrcIsPlacedByTheArrivalClockNotItsUnrelatedTimestamps() {
        CallPipeline p = pipeline(memory);
        byte[] first = rtp(0, 1, 0, true, ulaw(160, 0x80));
        p.onRtp(first, 0, first.length, 0);
        // A new source 520 ms later (20 ms of audio + 500 ms of nothing), timestamps from elsewhere.
        byte[] second = rtp(0, 40_000, 3_000_000_000L, true, ulaw(160, 0x80));
        second[11] = 2;
        p.onRtp(second, 0, second.length, 520_000_000L);
        byte[] third = rtp(0, 40_001, 3_000_000_160L, false, ulaw(160, 0x80));
        third[11] = 2;
        p.onRtp(third, 0, third.length, 540_000_000L);
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo((160 + 4000 + 160 + 160) * 2);
        assertThat(published).noneMatch(e -> e.type().equals("media.gap"));
    }

    @Test
    void aResumedStreamThatNumbersFromScratchFollowsTheArrivalClockGap() {
        CallPipeline p = pipeline(memory);
        for (int i = 0; i < 5; i++) { // 100 ms, arriving in real time from t = 0
            byte[] packet = rtp(0, 1000 + i, 50_000 + 160L * i, i == 0, ulaw(160, 0x80));
            p.onRtp(packet, 0, packet.length, i * 20_000_000L);
        }
        p.resume();
        // The new socket starts 750 ms after the last packet arrived (730 ms after it ended), same
        // SSRC, sequence and timestamps from the start again: neither late nor a bogus jump.
        for (int i = 0; i < 3; i++) {
            byte[] packet = rtp(0, 1000 + i, 50_000 + 160L * i, i == 0, ulaw(160, 0x80));
            p.onRtp(packet, 0, packet.length, 830_000_000L + i * 20_000_000L);
        }
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo((5 * 160 + 730 * 8 + 3 * 160) * 2);
        assertThat(memory.timelineError()).isNull();
        assertThat(stats.late()).isZero();
        List<CallEvent> resumed = published.stream().filter(e -> e.type().equals("call.resumed")).toList();
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).callId()).isEqualTo("pipe");
        assertThat(resumed.get(0).data()).containsEntry("gapMs", 730L).containsEntry("filledMs", 730L);
    }

    @Test
    void aResumedGapLongerThanMaxFillIsCappedAndReported() {
        CallPipeline p = new CallPipeline(context(), stats, new Fanout(List.of(memory)),
                new MediaConfig(3, 60, 101, 2048, 2000));
        p.start();
        p.onG711(G711.MU_LAW, ulaw(160, 0x80), 0, 160, 0);
        p.resume();
        p.onPcm16(new byte[640], 0, 640, false, 16000, 5_020_000_000L); // 5 s after the first ended
        p.finish("end");
        assertThat(memory.samples().length).isEqualTo((160 + 16_000) * 2 + 320);
        assertThat(published.stream().filter(e -> e.type().equals("media.gap"))).hasSize(1);
        assertThat(published.stream().filter(e -> e.type().equals("call.resumed")).findFirst().orElseThrow().data())
                .containsEntry("gapMs", 5000L).containsEntry("filledMs", 2000L);
    }

    @Test
    void aTelephoneEventAtTheEndOfTheCallIsFilledToItsLastDuration() {
        CallPipeline p = pipeline(memory);
        push(p, rtp(0, 1, 0, true, ulaw(160, 0x80)));
        push(p, rtp(101, 2, 160, true, new byte[] {1, 0x0A, 0, (byte) 160}));
        push(p, rtp(101, 3, 160, false, new byte[] {1, 0x0A, 3, 32}));
        p.finish("hang-up mid-press");
        assertThat(memory.samples().length).isEqualTo((160 + 800) * 2);
    }

    @Test
    void aThrowingSinkIsClosedAndTheOthersCarryOn() {
        ThrowingSink broken = new ThrowingSink();
        CallPipeline p = pipeline(broken, memory);
        for (int seq = 1; seq <= 10; seq++) {
            push(p, rtp(0, seq, (seq - 1) * 160L, seq == 1, ulaw(160, 0x80)));
        }
        p.finish("end");
        assertThat(broken.closedWith).startsWith("sink failed");
        assertThat(broken.frames).isEqualTo(3);
        assertThat(memory.samples().length).isEqualTo(10 * 320);
        assertThat(memory.closeReason()).isEqualTo("end");
    }

    @Test
    void finishIsIdempotentAndClosesSinksOnce() {
        CallPipeline p = pipeline(memory);
        p.finish("first");
        p.finish("second");
        assertThat(memory.closeReason()).isEqualTo("first");
    }

    /** Throws on its third frame. */
    static final class ThrowingSink implements Sink {
        int frames;
        String closedWith;

        @Override
        public String name() {
            return "broken";
        }

        @Override
        public void open(CallContext call) {}

        @Override
        public void onAudio(AudioSpan frame) {
            if (++frames == 3) {
                throw new IllegalStateException("boom");
            }
        }

        @Override
        public void close(String reason) {
            closedWith = reason;
        }

        @Override
        public long framesDropped() {
            return 0;
        }

        @Override
        public long framesIn() {
            return frames;
        }

        @Override
        public long bytesOut() {
            return 0;
        }
    }
}
