package dev.relay.core.ingress;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.ArrayDeque;

/**
 * The frames a telephony socket decoded while it had no call to hand them to yet (its cluster
 * claim in flight, or a takeover of a live call under way), in arrival order. The socket stops
 * reading meanwhile, so one read's worth arrives at most; past {@link #MAX_FRAMES} further frames
 * are dropped and counted ({@code registration_backlog}) rather than held without bound.
 *
 * <p>IO loop only. Holds a reference to each frame until it is polled or released.
 */
final class HeldFrames {
    static final int MAX_FRAMES = 4096;

    /** Null until the first frame: most sockets never hold one. */
    private ArrayDeque<WebSocketFrame> frames;

    /** Takes ownership of {@code frame}. */
    void add(WebSocketFrame frame) {
        if (frames == null) {
            frames = new ArrayDeque<>();
        }
        if (frames.size() >= MAX_FRAMES) {
            frame.release();
            TelephonyCounters.reject("registration_backlog");
            return;
        }
        frames.add(frame);
    }

    /** The oldest frame (now the caller's), or null. */
    WebSocketFrame poll() {
        return frames == null ? null : frames.poll();
    }

    /** Releases every frame held. */
    void releaseAll() {
        WebSocketFrame frame;
        while ((frame = poll()) != null) {
            frame.release();
        }
    }
}
