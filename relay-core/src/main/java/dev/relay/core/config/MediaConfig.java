package dev.relay.core.config;

/**
 * {@code relay.media}: per-call media handling.
 *
 * @param jitterFrames packets held beyond a gap before the gap is declared lost
 * @param jitterMaxWaitMs longest a packet waits for a gap ahead of it to fill
 * @param dtmfPayloadType RTP payload type carrying RFC 4733 telephone events
 * @param maxPayloadBytes largest RTP payload accepted per packet
 */
public record MediaConfig(int jitterFrames, long jitterMaxWaitMs, int dtmfPayloadType, int maxPayloadBytes) {

    static MediaConfig from(Settings s) {
        return new MediaConfig(
                s.intIn("jitter-frames", 1, 64),
                s.millisAtLeast("jitter-max-wait", 1),
                s.intIn("dtmf-payload-type", 96, 127),
                s.intIn("max-payload-bytes", 160, 65536));
    }
}
