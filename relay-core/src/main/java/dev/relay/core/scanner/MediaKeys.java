package dev.relay.core.scanner;


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
    static final KeyTable NAMES = new KeyTable(
            "event", "callId", "streamSid", "payload", "timestamp", "media", "track", "type", "data");

    /** Event names, indexed like {@link MediaEventKind} (UNKNOWN has no name). */
    static final KeyTable EVENTS = new KeyTable("connected", "start", "media", "mark", "stop", "dtmf");

    static final KeyTable TRACKS = new KeyTable("inbound", "outbound");

    static final KeyTable BUFFER = new KeyTable("Buffer");

    /** Longest recognised string, escapes decoded; callers pass a scratch array at least this long. */
    static final int SHORT_MAX = 16;

    private MediaKeys() {}

    /**
     * Index in {@code names} of the string whose validated contents are
     * {@code b[start..end)}, or {@link #UNKNOWN}.
     */
    static int match(byte[] b, int start, int end, KeyTable names, byte[] scratch) {
        final int raw = names.find(b, start, end);
        if (raw != UNKNOWN || !containsBackslash(b, start, end)) {
            return raw;
        }
        final int n = JsonSyntax.unescape(b, start, end, scratch, 0, SHORT_MAX);
        return n < 0 ? UNKNOWN : names.find(scratch, 0, n);
    }

    private static boolean containsBackslash(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }
}
