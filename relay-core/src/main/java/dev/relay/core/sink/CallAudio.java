package dev.relay.core.sink;

/**
 * The way back into a call for anything that is not its socket (the bot sink, the control API).
 * Every method may be called from any thread; the work hops onto the call's IO loop.
 */
public interface CallAudio {
    /** A call without a way back (tests that drive sinks directly). */
    CallAudio NONE = new CallAudio() {
        @Override
        public boolean canPlay() {
            return false;
        }

        @Override
        public void play(byte[] ulaw) {}

        @Override
        public void interrupt() {}
    };

    /** False when the wire format has no way back to the caller (raw PCM). */
    boolean canPlay();

    /** Plays μ-law 8 kHz mono audio into the call; {@code ulaw} is not copied, so do not reuse it. */
    void play(byte[] ulaw);

    /** Stops whatever the provider is playing. */
    void interrupt();
}
