package dev.relay.core.call;

/**
 * Turns RFC 4733 telephone-event packets into one report per key press.
 *
 * <p>A press is sent as several packets sharing one RTP timestamp (start, updates, and the end
 * packet usually three times). A press is reported once: on its first end packet, or, when the
 * sender never marks the end, when the next press starts or the call ends.
 */
final class DtmfTracker {
    /** Receives one finished press. */
    interface Listener {
        void onDtmf(char digit, int durationSamples, boolean ended);
    }

    private static final String DIGITS = "0123456789*#ABCD";
    static final int PAYLOAD_BYTES = 4;

    private final Listener listener;
    private long currentTs = -1;
    private int currentEvent;
    private int currentDuration;
    private boolean reported;

    DtmfTracker(Listener listener) {
        this.listener = listener;
    }

    /** One telephone-event payload; returns false when it is malformed (shorter than 4 bytes). */
    boolean onPacket(long rtpTimestamp, byte[] payload, int offset, int length) {
        if (length < PAYLOAD_BYTES) {
            return false;
        }
        int event = payload[offset] & 0xFF;
        boolean end = (payload[offset + 1] & 0x80) != 0;
        int duration = ((payload[offset + 2] & 0xFF) << 8) | (payload[offset + 3] & 0xFF);
        if (rtpTimestamp != currentTs) {
            finishUnreported();
            currentTs = rtpTimestamp;
            currentEvent = event;
            reported = false;
        }
        currentDuration = Math.max(currentDuration, duration);
        if (end && !reported) {
            reported = true;
            report(true);
        }
        return true;
    }

    /** Reports a press whose end packet never came. */
    void finishUnreported() {
        if (currentTs >= 0 && !reported) {
            reported = true;
            report(false);
        }
        currentDuration = 0;
    }

    private void report(boolean ended) {
        char digit = currentEvent < DIGITS.length() ? DIGITS.charAt(currentEvent) : currentEvent == 16 ? '!' : '?';
        listener.onDtmf(digit, currentDuration, ended);
    }
}
