package dev.relay.core.socketio;

/** Short, single-line, bounded renderings of what peers say, for close reasons and events. */
final class Excerpts {
    private static final int MAX_CHARS = 200;

    private Excerpts() {}

    /** {@code s} stripped, control characters blanked, cut at 200 characters. */
    static String excerpt(String s) {
        String t = s == null ? "" : s.strip();
        StringBuilder sb = new StringBuilder(Math.min(t.length(), MAX_CHARS + 1));
        for (int i = 0; i < t.length() && sb.length() < MAX_CHARS; i++) {
            char c = t.charAt(i);
            sb.append(c < 0x20 || c == 0x7F ? ' ' : c);
        }
        return t.length() > MAX_CHARS ? sb + "…" : sb.toString();
    }

    /** An exception as {@code SimpleName: message}. */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + excerpt(m));
    }
}
