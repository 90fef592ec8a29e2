package dev.relay.core.call;

import dev.relay.codec.g711.G711;

/**
 * Where a call's last media ended on the arrival clock: its arrival plus its own length. A socket
 * that takes the call over ({@link CallPipeline#resume}) starts after a gap measured from there,
 * since its timestamps have no relation to the old socket's. A comfort-noise or telephone-event
 * packet has no length here: its span is the timeline's to fill.
 *
 * <p>Media thread only, like the pipeline; two stores per packet, nothing allocated.
 */
final class LastMedia {
    private static final long NANOS_PER_SAMPLE_8K = 125_000;

    private long arrivalNanos = -1;
    private int samples8k;
    /** The RTP payload type of the last media, or -1 for media without RTP. */
    private int payloadType = -1;

    /** An RTP packet of {@code payloadBytes} that arrived at {@code nanos}. */
    void rtp(int rtpPayloadType, int payloadBytes, long nanos) {
        payloadType = rtpPayloadType;
        samples8k = payloadBytes;
        arrivalNanos = nanos;
    }

    /** Audio without RTP, {@code length8k} samples long at 8 kHz, that arrived at {@code nanos}. */
    void audio(int length8k, long nanos) {
        payloadType = -1;
        samples8k = length8k;
        arrivalNanos = nanos;
    }

    /** The 8 kHz samples from the end of the last media to {@code nanos}; 0 before any media. */
    long gap8kUntil(long nanos) {
        if (arrivalNanos < 0) {
            return 0;
        }
        boolean audio = payloadType < 0 || G711.forRtpPayloadType(payloadType) != null;
        return Math.max(0, (nanos - arrivalNanos) / NANOS_PER_SAMPLE_8K - (audio ? samples8k : 0));
    }
}
