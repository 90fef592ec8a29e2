package dev.relay.core.scanner;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Per-IO-thread working memory for decoding inbound frames: the media-event scanner and the
 * buffer payloads are decoded into. Safe to share among every socket of one loop because a frame
 * is handled to the end (ingress copies it) before the loop touches the next one; and it keeps
 * idle or unregistered sockets free of per-socket buffers.
 */
public final class IoScratch {
    /** Largest payload decoded from one frame; larger media payloads are rejected. */
    static final int PAYLOAD_BYTES = 64 * 1024;

    private static final FastThreadLocal<IoScratch> CURRENT = new FastThreadLocal<>() {
        @Override
        protected IoScratch initialValue() {
            return new IoScratch();
        }
    };

    public final MediaEventScanner scanner = new MediaEventScanner();
    public final byte[] payload = new byte[PAYLOAD_BYTES];

    public static IoScratch get() {
        return CURRENT.get();
    }
}
