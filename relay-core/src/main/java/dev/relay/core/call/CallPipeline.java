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
 * packets, comfort noise and DTMF spans become silence of the right length, up to
 * {@code relay.media.max-fill}, so every sink's sample position matches the call's clock; a long
 * fill is paid out over several ticks ({@link Timeline}).
 */
public final class CallPipeline implements JitterOutput, DtmfTracker.Listener, Timeline.Output {
    /** RTP payload type of comfort noise (RFC 3389); the G.711 ones are {@link G711}'s. */
    static final int PT_CN = 13;
    private static final int CHUNK_8K = AudioSpan.MAX_SAMPLES_16K / 2;
    private static final long TS_MASK = 0xFFFF_FFFFL;

    private final CallContext context;
    private final EventBus events;
    private final CallStats stats;
    private final Fanout fanout;
    private final RtpHeader rtp = new RtpHeader();
    private final JitterBuffer jitter;
    private final G711ToPcm16k toPcm16k = new G711ToPcm16k();
    private final Decimator decimator = Decimator.to8k(16000);
    private final DtmfTracker dtmf = new DtmfTracker(this);
    private final Timeline timeline;
    private final AudioSpan frame = new AudioSpan();
    private final short[] pcm8k;
    private final short[] pcm16k;
    private final int dtmfPayloadType;

    private long nextSample16k;
    private short carry16k;
    private boolean hasCarry16k;
    private boolean ssrcKnown;
    private long ssrc;
    /** Where the last telephone event ends (its start plus its duration), or -1. */
    private long dtmfEndTs = -1;
    private long arrivalNanos;
    private long firstArrivalNanos = -1;
    private final LastMedia last = new LastMedia();
    /** Set by {@link #resume}: the next media measures the gap since the old socket's last. */
    private boolean resuming;
    private boolean finished;

    public CallPipeline(CallContext context, CallStats stats, Fanout fanout, MediaConfig media) {
        this.context = context;
        this.events = context.events();
        this.stats = stats;
        this.fanout = fanout;
        this.dtmfPayloadType = media.dtmfPayloadType();
        this.timeline = new Timeline(this, media.maxFillSamples8k(), stats);
        // A silence up to max-fill is a gap in one stream, not a restart: the jitter buffer keeps
        // its state across it.
        this.jitter = new JitterBuffer(media.jitterFrames(), media.jitterMaxWaitMs() * 1_000_000L,
                media.maxPayloadBytes(), JitterBuffer.DEFAULT_MAX_SEQ_JUMP,
                Math.max(JitterBuffer.DEFAULT_MAX_TS_JUMP_TICKS, media.maxFillSamples8k()), this);
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
        last.rtp(rtp.payloadType(), rtp.payloadLength(), arrivalNanos);
        if (ssrcKnown && rtp.ssrc() != ssrc) {
            // The old stream's held packets go first, on the old timestamps; the new stream's
            // timestamps are unrelated, so its place on the timeline comes from the arrival clock.
            jitter.flush();
            timeline.newSource();
        }
        ssrcKnown = true;
        ssrc = rtp.ssrc();
        jitter.push(rtp, arrivalNanos);
        copyJitterStats();
    }

    /** G.711 without RTP (Media Streams envelope): already in order, no sequence numbers. */
    public void onG711(G711 law, byte[] payload, int offset, int length, long arrivalNanos) {
        stats.packetsIn++;
        markArrival(arrivalNanos);
        last.audio(length, arrivalNanos);
        emitG711(law, payload, offset, length);
    }

    /** PCM16 without RTP (raw binary or envelope L16) at 8 or 16 kHz. */
    public void onPcm16(byte[] bytes, int offset, int length, boolean bigEndian, int sampleRateHz, long arrivalNanos) {
        stats.packetsIn++;
        markArrival(arrivalNanos);
        int samples = length >> 1;
        last.audio(sampleRateHz == 8000 ? samples : samples >> 1, arrivalNanos);
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

    /**
     * Periodic tick (about every 10 ms): releases jitter-buffer gaps whose wait expired and pays
     * out the next second of a long silence fill ({@link Timeline}).
     */
    public void tick(long nowNanos) {
        jitter.poll(nowNanos);
        timeline.tick();
        copyJitterStats();
    }

    /**
     * The call goes on from a new socket (a takeover, {@code relay.telephony.duplicate-call-id =
     * resume}). What the old socket left in the jitter buffer and an open telephone event go out
     * now; the next media, whatever its SSRC, sequence numbers and timestamps (a new connection
     * usually numbers from scratch), starts the stream afresh after silence as long as the gap
     * between the old socket's last media and it, on the arrival clock, and a {@code call.resumed}
     * event says how long that was. Media thread, in order with the media.
     */
    public void resume() {
        jitter.restart();
        dtmf.finishUnreported();
        if (dtmfEndTs >= 0) {
            timeline.finish(dtmfEndTs);
            dtmfEndTs = -1;
        }
        ssrcKnown = false;
        hasCarry16k = false;
        resuming = true;
        copyJitterStats();
    }

    /** True while a long silence fill is still being paid out to the sinks. */
    public boolean filling() {
        return timeline.owing();
    }

    /** Ends the call's media: flushes held packets and closes every sink. Idempotent. */
    public void finish(String reason) {
        if (finished) {
            return;
        }
        finished = true;
        jitter.flush();
        dtmf.finishUnreported();
        timeline.finish(dtmfEndTs);
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
            if (timeline.audio(payloadType, rtpTimestamp, payload, offset, length, arrivalNanos)) {
                emitG711(law, payload, offset, length);
            }
        } else if (payloadType == dtmfPayloadType) {
            if (!dtmf.onPacket(rtpTimestamp, payload, offset, length)) {
                stats.packetsRejected++;
                return;
            }
            // Silence up to the event's start now; its duration when the next packet (or the end
            // of the call) shows where it ended: audio may run alongside an event.
            timeline.mark(rtpTimestamp, arrivalNanos);
            int durationSamples = ((payload[offset + 2] & 0xFF) << 8) | (payload[offset + 3] & 0xFF);
            dtmfEndTs = (rtpTimestamp + durationSamples) & TS_MASK;
        } else if (payloadType == PT_CN) {
            // Comfort noise is silence from here on: fill up to each CN packet as it comes.
            timeline.mark(rtpTimestamp, arrivalNanos);
        } else {
            stats.payloadTypeDropped++;
            RejectionCounters.payloadType();
        }
    }

    @Override
    public void onConceal(long rtpTimestamp, int samples) {
        timeline.conceal(rtpTimestamp, samples, arrivalNanos);
    }

    @Override
    public void silence(int samples8k) {
        emitSilence(samples8k);
    }

    @Override
    public void heldAudio(int payloadType, byte[] payload, int offset, int length, long heldArrivalNanos) {
        long now = arrivalNanos;
        arrivalNanos = heldArrivalNanos;
        emitG711(G711.forRtpPayloadType(payloadType), payload, offset, length);
        arrivalNanos = now;
    }

    @Override
    public void cappedGap(long gap8k, int filled8k) {
        MediaGaps.capped(gap8k - filled8k);
        events.publish(CallEvent.of("media.gap", context.callId(),
                Map.of("gapMs", gap8k / 8, "filledMs", filled8k / 8L)));
    }

    @Override
    public void onDtmf(char digit, int durationSamples, boolean ended) {
        stats.dtmfEvents++;
        events.publish(CallEvent.of("dtmf", context.callId(),
                Map.of("digit", String.valueOf(digit), "durationMs", durationSamples / 8, "end", ended)));
    }

    private void markArrival(long nanos) {
        if (resuming) {
            resuming = false;
            resumeGap(nanos);
        }
        arrivalNanos = nanos;
        if (firstArrivalNanos < 0) {
            firstArrivalNanos = nanos;
        }
    }

    /**
     * The first media after {@link #resume}: the gap since the old socket's last media ended is
     * filled, up to the cap, ahead of it. It is paid at once, not tick by tick: media without RTP
     * does not pass through the timeline to wait behind owed silence, and a takeover is rare.
     */
    private void resumeGap(long nanos) {
        long gap8k = last.gap8kUntil(nanos);
        int filled8k = timeline.restart(gap8k);
        timeline.payOwed();
        events.publish(CallEvent.of("call.resumed", context.callId(),
                Map.of("gapMs", gap8k / 8, "filledMs", filled8k / 8L)));
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
