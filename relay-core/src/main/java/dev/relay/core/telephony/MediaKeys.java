package dev.relay.core.telephony;

import java.nio.charset.StandardCharsets;

/**
 * The member names and string values {@link MediaEventScanner} recognises, and
 * allocation-free matching of a JSON string against them (escapes included, so
 * {@code "ev\u005Cu0065nt"} is {@code "event"}, as any JSON parser would read it).
 */
final class MediaKeys {
    static final int UNKNOWN = -1;

    // Member names; the index doubles as a bit position for duplicate detection.
    static final int EVENT = 0;
    static final int CALL_ID = 1;
    static final int STREAM_SID = 2;
    static final int PAYLOAD = 3;
    static final int TIMESTAMP = 4;
    static final int MEDIA = 5;
    static final int TRACK = 6;
    static final int TYPE = 7;
    static final int DATA = 8;
    static final byte[][] NAMES = utf8(
            "event", "callId", "streamSid", "payload", "timestamp", "media", "track", "type", "data");

    /** Event names, indexed like {@link MediaEventKind} (UNKNOWN has no name). */
    static final byte[][] EVENTS = utf8("connected", "start", "media", "mark", "stop", "dtmf");

    static final byte[][] TRACKS = utf8("inbound", "outbound");

    static final byte[][] BUFFER = utf8("Buffer");

    /** Longest recognised string, escapes decoded; callers pass a scratch array at least this long. */
    static final int SHORT_MAX = 16;

    private MediaKeys() {}

    /**
     * Index in {@code names} of the string whose validated contents are
     * {@code b[start..end)}, or {@link #UNKNOWN}.
     */
    static int match(byte[] b, int start, int end, byte[][] names, byte[] scratch) {
        final int raw = find(b, start, end, names);
        if (raw != UNKNOWN || !containsBackslash(b, start, end)) {
            return raw;
        }
        final int n = JsonSyntax.unescape(b, start, end, scratch, 0, SHORT_MAX);
        return n < 0 ? UNKNOWN : find(scratch, 0, n, names);
    }

    private static int find(byte[] b, int start, int end, byte[][] names) {
        final int len = end - start;
        for (int k = 0; k < names.length; k++) {
            final byte[] name = names[k];
            if (name.length == len && regionEquals(b, start, name)) {
                return k;
            }
        }
        return UNKNOWN;
    }

    private static boolean regionEquals(byte[] b, int start, byte[] name) {
        for (int i = 0; i < name.length; i++) {
            if (b[start + i] != name[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsBackslash(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    private static byte[][] utf8(String... names) {
        final byte[][] out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }
}
