package dev.relay.core.config;

import java.util.Locale;

/**
 * {@code relay.transport}: which Netty transport the relay's sockets run on. {@link #AUTO} takes
 * the first of io_uring, epoll and NIO that this kernel and JVM allow; the others insist on one
 * transport and make start-up fail where it is not available. Not in SPEC (an addition, see
 * {@code docs/decisions.md}).
 */
public enum TransportMode {
    AUTO,
    IO_URING,
    EPOLL,
    NIO;

    /** As written in the config: {@code auto}, {@code io_uring}, {@code epoll}, {@code nio}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code label} ({@code io-uring} and any case accepted), or null. */
    public static TransportMode parse(String label) {
        for (TransportMode m : values()) {
            if (m.name().equalsIgnoreCase(label.trim().replace('-', '_'))) {
                return m;
            }
        }
        return null;
    }

    static TransportMode from(Settings relay) {
        return relay.enumValue("transport", TransportMode.class);
    }
}
