package dev.relay.core.call;

import dev.relay.codec.g711.G711;
import io.netty.channel.EventLoop;

/**
 * The socket side of a call's media path: where the IO loop hands each decoded payload.
 *
 * <p>Called only on the call's IO loop. Implementations copy the bytes before returning (the
 * caller reuses its buffer) and never block: {@link InlineIngress} runs the pipeline right there,
 * the dedicated placement's ring ingress copies into the call's off-heap ring for a DSP thread.
 */
public interface MediaIngress {
    /** An RTP packet. */
    void rtp(byte[] packet, int offset, int length, long arrivalNanos);

    /** G.711 payload without RTP framing. */
    void g711(G711 law, byte[] payload, int offset, int length, long arrivalNanos);

    /** PCM16 without RTP framing. */
    void pcm16(byte[] bytes, int offset, int length, boolean bigEndian, int sampleRateHz, long arrivalNanos);

    /**
     * The call goes on from a new socket (a takeover): the pipeline restarts its stream and fills
     * the gap ({@link CallPipeline#resume}), in order with the media around it. Called on the new
     * socket's IO loop, after {@link #moveTo}, before that socket hands any media.
     */
    void resume();

    /**
     * The call's socket is now on {@code loop}: a media path tied to the IO loop follows it. Called
     * on the old loop, which hands no media from then on; the new loop's first use comes after it
     * (through a task submitted from the old loop, which orders the two). A media path on threads
     * of its own has nothing to move.
     */
    default void moveTo(EventLoop loop) {}

    /** What to do when the pipeline throws off the socket's own path: the call factory hangs the call up with 1011. */
    void onFailure(Runnable action);

    /**
     * Ends the media path: the pipeline flushes and closes its sinks on its own thread, then runs
     * {@code onFinished}. Only the first call has any effect.
     */
    void close(String reason, Runnable onFinished);
}
