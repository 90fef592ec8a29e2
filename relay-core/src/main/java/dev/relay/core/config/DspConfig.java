package dev.relay.core.config;

/**
 * {@code relay.dsp}: where each call's media path runs.
 *
 * @param mode {@link Mode#INLINE} on the socket's IO loop, or {@link Mode#DEDICATED} on DSP threads
 *     fed by an off-heap ring per call
 * @param threads DSP threads in dedicated mode
 * @param ringBytes capacity of each call's ingress ring (power of two)
 * @param ioThreads Netty IO loops; 0 means one per core
 * @param ioCoalesceMicros while messages come faster than this, an IO loop polls its sockets at
 *     most once per this period ({@code relay.dsp.io-coalesce}; 0: wake for every message)
 */
public record DspConfig(Mode mode, int threads, int ringBytes, int ioThreads, long ioCoalesceMicros) {

    /** The longest {@code io-coalesce}: every frame may wait this long, so it stays under a frame. */
    static final long MAX_IO_COALESCE_MICROS = 10_000;

    /** Placement of the per-call media path. */
    public enum Mode {
        INLINE,
        DEDICATED
    }

    static DspConfig from(Settings s) {
        int ring = (int) s.bytesIn("ring-bytes", 4096, 64L << 20);
        if (Integer.bitCount(ring) != 1) {
            throw new ConfigError(s.key("ring-bytes"), "must be a power of two, got " + ring);
        }
        return new DspConfig(
                s.enumValue("mode", Mode.class),
                s.intIn("threads", 1, 256),
                ring,
                s.intIn("io-threads", 0, 256),
                s.microsIn("io-coalesce", 0, MAX_IO_COALESCE_MICROS));
    }
}
