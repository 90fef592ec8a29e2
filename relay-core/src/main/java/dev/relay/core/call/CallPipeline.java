package dev.relay.core.call;

import dev.relay.codec.g711.G711;
import dev.relay.codec.jitter.JitterBuffer;
import dev.relay.codec.jitter.JitterOutput;
import dev.relay.codec.jitter.JitterStats;
import dev.relay.codec.resample.Decimator;
import dev.relay.codec.rtp.RtpHeader;
import dev.relay.codec.rtp.RtpRejection;
import dev.relay.codec.transcode.G711ToPcm16k;
import dev.relay.core.config.MediaConfig;
import dev.relay.core.event.CallEvent;
import dev.relay.core.event.EventBus;
import dev.relay.core.sink.AudioSpan;
import dev.relay.core.sink.CallContext;
import java.util.Arrays;
import java.util.Map;

/**
 * One call's media path, from RTP packet to sinks: RTP flyweight, jitter buffer, G.711 decode and
 * 8 → 16 kHz upsampling ({@link G711ToPcm16k}), fan-out.
 *
 * <p>Owned by exactly one thread, the call's media thread (see {@code relay.dsp.mode}); nothing
 * here is thread-safe and nothing allocates per packet. The timeline it emits has no holes: lost
 * packets, comfort noise and DTMF spans become silence of the right length, so every sink's sample
 * position matches the call's clock.
 */
public final class CallPipeline implements JitterOutput, DtmfTracker.Listener {
    /** RTP payload type of comfort noise (RFC 3389); the G.711 ones are {@link G711}'s. */
    static final int PT_CN = 13;
    /** Longest timestamp jump filled with silence; larger jumps are stream restarts, not gaps. */
    private static final long MAX_FILL_SAMPLES_8K = 8000;
    private static final int CHUNK_8K = AudioSpan.MAX_SAMPLES_16K / 2;

    private final CallContext context;
    private final EventBus events;
    private final CallStats stats;
    private final Fanout fanout;
    private final RtpHeader rtp = new RtpHeader();
    private final JitterBuffer jitter;
    private final G711ToPcm16k toPcm16k = new G711ToPcm16k();
    private final Decimator decimator = Decimator.to8k(16000);
    private final DtmfTracker dtmf = new DtmfTracker(this);
    private final AudioSpan frame = new AudioSpan();
    private final short[] pcm8k;
    private final short[] pcm16k;
    private final int dtmfPayloadType;

    private long nextSample16k;
    private short carry16k;
    private boolean hasCarry16k;
    private long expectedTs = -1;
    private long arrivalNanos;
    private long firstArrivalNanos = -1;
    private boolean finished;

    public CallPipeline(CallContext context, CallStats stats, Fanout fanout, MediaConfig media) {
        this.context = context;
        this.events = context.events();
        this.stats = stats;
        this.fanout = fanout;
        this.dtmfPayloadType = media.dtmfPayloadType();
        this.jitter = new JitterBuffer(
                media.jitterFrames(), media.jitterMaxWaitMs() * 1_000_000L, media.maxPayloadBytes(), this);
        this.pcm8k = frame.pcm8k();
        this.pcm16k = frame.pcm16k();
    }

    /** Opens the sinks; called once on the media thread before any packet. */
    public void start() {
        fanout.open(context);
    }

    /** One RTP packet as received; {@code arrivalNanos} is the ingress clock reading. */
    public void onRtp(byte[] packet, int offset, int length, long arrivalNanos) {
        stats.packetsIn++;
        markArrival(arrivalNanos);
        RtpRejection rejection = rtp.wrap(packet, offset, length);
        if (rejection != RtpRejection.NONE) {
            stats.packetsRejected++;
            RejectionCounters.rtp(rejection);
            return;
        }
        jitter.push(rtp, arrivalNanos);
        copyJitterStats();
    }

    /** G.711 without RTP (Media Streams envelope): already in order, no sequence numbers. */
    public void onG711(G711 law, byte[] payload, int offset, int length, long arrivalNanos) {
        stats.packetsIn++;
        markArrival(arrivalNanos);
        emitG711(law, payload, offset, length);
    }

    /** PCM16 without RTP (raw binary or envelope L16) at 8 or 16 kHz. */
    public void onPcm16(byte[] bytes, int offset, int length, boolean bigEndian, int sampleRateHz, long arrivalNanos) {
        stats.packetsIn++;
        markArrival(arrivalNanos);
        int samples = length >> 1;
        int hi = bigEndian ? 0 : 1;
        int lo = bigEndian ? 1 : 0;
        if (sampleRateHz == 8000) {
            for (int done = 0; done < samples; ) {
                int n = Math.min(CHUNK_8K, samples - done);
                for (int i = 0, p = offset + (done << 1); i < n; i++, p += 2) {
                    pcm8k[i] = (short) ((bytes[p + hi] << 8) | (bytes[p + lo] & 0xFF));
                }
                emit8k(n, false);
                done += n;
            }
        } else {
            // Frames hold whole 8 kHz steps (pairs of 16 kHz samples): an odd sample waits for the next call.
            int n = 0;
            if (hasCarry16k) {
                pcm16k[n++] = carry16k;
                hasCarry16k = false;
            }
            for (int i = 0, p = offset; i < samples; i++, p += 2) {
                pcm16k[n++] = (short) ((bytes[p + hi] << 8) | (bytes[p + lo] & 0xFF));
                if (n == AudioSpan.MAX_SAMPLES_16K) {
                    publish16k(n);
                    n = 0;
                }
            }
            if ((n & 1) != 0) {
                carry16k = pcm16k[--n];
                hasCarry16k = true;
            }
            if (n > 0) {
                publish16k(n);
            }
        }
    }

    private void publish16k(int samples16k) {
        decimator.process(pcm16k, 0, samples16k, pcm8k, 0);
        publish(samples16k, false);
    }

    /** The call's id, for the logs of whatever drives this pipeline. */
    String callId() {
        return context.callId();
    }

    /** Periodic tick (about every 10 ms): releases jitter-buffer gaps whose wait expired. */
    public void tick(long nowNanos) {
        jitter.poll(nowNanos);
        copyJitterStats();
    }

    /** Ends the call's media: flushes held packets and closes every sink. Idempotent. */
    public void finish(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        jitter.flush();
        dtmf.finishUnreported();
        copyJitterStats();
        fanout.close(reason);
    }

    public boolean finished() {
        return finished;
    }

    public Fanout fanout() {
        return fanout;
    }

    @Override
    public void onPayload(int payloadType, long rtpTimestamp, boolean marker, byte[] payload, int offset, int length) {
        G711 law = G711.forRtpPayloadType(payloadType);
        if (law != null) {
            fillTo(rtpTimestamp);
            emitG711(law, payload, offset, length);
            expectedTs = (rtpTimestamp + length) & 0xFFFF_FFFFL;
        } else if (payloadType == dtmfPayloadType) {
            if (!dtmf.onPacket(rtpTimestamp, payload, offset, length)) {
                stats.packetsRejected++;
            }
        } else if (payloadType != PT_CN) {
            stats.payloadTypeDropped++;
            RejectionCounters.payloadType();
        }
        // Comfort noise and DTMF leave expectedTs alone: the next audio packet fills their span.
    }

    @Override
    public void onConceal(long rtpTimestamp, int samples) {
        fillTo(rtpTimestamp);
        emitSilence(samples);
        stats.concealedFrames++;
        stats.concealedSamples8k += samples;
        expectedTs = (rtpTimestamp + samples) & 0xFFFF_FFFFL;
    }

    @Override
    public void onDtmf(char digit, int durationSamples, boolean ended) {
        stats.dtmfEvents++;
        events.publish(CallEvent.of("dtmf", context.callId(),
                Map.of("digit", String.valueOf(digit), "durationMs", durationSamples / 8, "end", ended)));
    }

    private void markArrival(long nanos) {
        arrivalNanos = nanos;
        if (firstArrivalNanos < 0) {
            firstArrivalNanos = nanos;
        }
    }

    /** Silence for a forward timestamp jump (comfort noise, DTMF, unsent packets). */
    private void fillTo(long rtpTimestamp) {
        if (expectedTs < 0) {
            return;
        }
        long gap = (rtpTimestamp - expectedTs) & 0xFFFF_FFFFL;
        if (gap > 0 && gap <= MAX_FILL_SAMPLES_8K) {
            emitSilence((int) gap);
            stats.concealedFrames++;
            stats.concealedSamples8k += gap;
        }
    }

    private void emitG711(G711 law, byte[] payload, int offset, int length) {
        for (int done = 0; done < length; ) {
            int n = Math.min(CHUNK_8K, length - done);
            publish(toPcm16k.decode(law, payload, offset + done, n, pcm8k, pcm16k), false);
            done += n;
        }
    }

    private void emitSilence(int samples8k) {
        for (int done = 0; done < samples8k; ) {
            int n = Math.min(CHUNK_8K, samples8k - done);
            Arrays.fill(pcm8k, 0, n, (short) 0);
            emit8k(n, true);
            done += n;
        }
    }

    private void emit8k(int samples8k, boolean concealed) {
        publish(toPcm16k.upsample(pcm8k, samples8k, pcm16k), concealed);
    }

    private void publish(int samples16k, boolean concealed) {
        frame.set(nextSample16k, samples16k, arrivalNanos, concealed);
        fanout.onAudio(frame);
        nextSample16k += samples16k;
        stats.framesOut++;
        stats.samplesOut16k += samples16k;
        if (stats.firstFrameLatencyNanos < 0 && firstArrivalNanos >= 0) {
            stats.firstFrameLatencyNanos = Math.max(0, System.nanoTime() - firstArrivalNanos);
        }
    }

    private void copyJitterStats() {
        JitterStats js = jitter.stats();
        stats.reordered = js.reordered();
        stats.duplicates = js.duplicates();
        stats.late = js.late();
        stats.jitterResets = js.resets();
    }
}
