package dev.relay.codec.jitter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records what a {@link JitterBuffer} emits. Test payloads carry their sequence number in the
 * first two bytes, so a payload event can be named by it; one payload byte is one sample (PCMU).
 */
final class RecordingOutput implements JitterOutput {
    /** One emission: a payload (copied) or a concealment. */
    record Event(boolean conceal, int payloadType, long ts, boolean marker, byte[] payload, int samples) {
        /** The sequence number a test payload carries. */
        int seqTag() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        /** Length in timestamp units. */
        long duration() {
            return conceal ? samples : payload.length;
        }

        /** {@code "123"} for a payload tagged 123, {@code "~1600+160"} for a conceal. */
        String brief() {
            return conceal ? "~" + ts + "+" + samples : Integer.toString(seqTag());
        }
    }

    final List<Event> events = new ArrayList<>();

    @Override
    public void onPayload(int payloadType, long rtpTimestamp, boolean marker, byte[] payload, int offset,
            int length) {
        events.add(new Event(false, payloadType, rtpTimestamp, marker,
                Arrays.copyOfRange(payload, offset, offset + length), 0));
    }

    @Override
    public void onConceal(long rtpTimestamp, int samples) {
        events.add(new Event(true, -1, rtpTimestamp, false, null, samples));
    }

    /** The events in brief form, e.g. {@code ["10", "~1760+160", "12"]}. */
    List<String> trace() {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e.brief());
        }
        return out;
    }

    List<Event> payloads() {
        return events.stream().filter(e -> !e.conceal()).toList();
    }

    List<Event> conceals() {
        return events.stream().filter(Event::conceal).toList();
    }
}
