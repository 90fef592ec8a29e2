package dev.relay.core.cluster;

import java.util.Locale;

/** What a node says about taking new calls (SPEC §8.1, §8.2), as listed by {@code GET /v1/nodes}. */
public enum NodeState {
    READY,
    DRAINING,
    FULL;

    /** The lower-case name used on the wire ({@code ready}, {@code draining}, {@code full}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state named {@code wire}, or null when it names none. */
    public static NodeState ofWire(String wire) {
        for (NodeState s : values()) {
            if (s.wireName().equals(wire)) {
                return s;
            }
        }
        return null;
    }
}
