package dev.relay.core.call;

/**
 * Per-call counters. Written by the call's media thread only (single writer); read by anyone,
 * so fields are volatile and updated with plain read-modify-write.
 */
public final class CallStats {
    volatile long packetsIn;
    volatile long packetsRejected;
    volatile long payloadTypeDropped;
    volatile long ringDropped;
    volatile long reordered;
    volatile long duplicates;
    volatile long late;
    volatile long concealedFrames;
    volatile long concealedSamples8k;
    volatile long jitterResets;
    volatile long framesOut;
    volatile long samplesOut16k;
    volatile long dtmfEvents;
    volatile long firstFrameLatencyNanos = -1;
    // Outbound (relay → caller) counters: written by the socket's IO loop only.
    volatile long outboundMessages;
    volatile long outboundAudioBytes;
    volatile long outboundDroppedMessages;

    public long packetsIn() {
        return packetsIn;
    }

    /** RTP packets that failed validation. */
    public long packetsRejected() {
        return packetsRejected;
    }

    /** Packets whose payload type the relay does not decode (neither G.711, CN nor DTMF). */
    public long payloadTypeDropped() {
        return payloadTypeDropped;
    }

    /** Packets dropped because the call's ingress ring was full (its media thread fell behind). */
    public long ringDropped() {
        return ringDropped;
    }

    public long reordered() {
        return reordered;
    }

    public long duplicates() {
        return duplicates;
    }

    public long late() {
        return late;
    }

    /** Gaps and comfort-noise spans emitted as silence. */
    public long concealedFrames() {
        return concealedFrames;
    }

    public long concealedSamples8k() {
        return concealedSamples8k;
    }

    public long jitterResets() {
        return jitterResets;
    }

    /** Frames fanned out to the sinks. */
    public long framesOut() {
        return framesOut;
    }

    public long samplesOut16k() {
        return samplesOut16k;
    }

    public long dtmfEvents() {
        return dtmfEvents;
    }

    /** From the first media packet's arrival to the first frame handed to the sinks; -1 before. */
    public long firstFrameLatencyNanos() {
        return firstFrameLatencyNanos;
    }

    /** Messages of audio, greeting or interrupt written to the caller. */
    public long outboundMessages() {
        return outboundMessages;
    }

    /** Audio bytes (WAV headers included) written to the caller. */
    public long outboundAudioBytes() {
        return outboundAudioBytes;
    }

    /** Outbound messages dropped because the caller stopped reading (send buffer full). */
    public long outboundDroppedMessages() {
        return outboundDroppedMessages;
    }

    /** IO loop only. */
    public void countOutbound(int audioBytes) {
        outboundMessages++;
        outboundAudioBytes += audioBytes;
    }

    /** IO loop only. */
    public void countOutboundDrop() {
        outboundDroppedMessages++;
    }

    /** Counted by the socket's IO thread, the ring's only writer. */
    public void countRingDrop() {
        ringDropped++;
    }
}
