package dev.relay.core.call;

import static org.assertj.core.api.Assertions.assertThat;

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
