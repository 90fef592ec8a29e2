package dev.relay.core.net;

import dev.relay.core.config.ConfigError;
import dev.relay.core.config.TransportMode;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The transport one relay (or tool) runs, decided once at start from {@code relay.transport}.
 * {@link TransportMode#AUTO} takes the first of {@link #AUTO_ORDER} (epoll, then io_uring, then
 * NIO) this kernel and JVM allow, and keeps why it passed over the ones before (epoll's native
 * library not loading, io_uring refused by {@code kernel.io_uring_disabled}, a seccomp profile, an
 * old kernel, a locked-memory limit); a
 * named transport that is not available is a configuration error naming the key, since the
 * operator asked for exactly that one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param transport the transport chosen
 * @param requested what {@code relay.transport} asked for
 * @param passedOver for auto, each transport tried before the chosen one with why it could not
 *     run ({@code "io_uring: RuntimeException: failed to create io_uring ring fd: Operation not
 *     permitted"}); empty otherwise
 */
public record TransportChoice(Transport transport, TransportMode requested, List<String> passedOver) {
    /** The system property tools and tests read for their default ({@code relay.transport}, as in the config). */
    public static final String PROPERTY = "relay.transport";

    /**
     * What auto tries, in order. epoll first: side by side on the load generator at 100 calls
     * (WSS, both sinks, pinned) io_uring cost the relay and the floor alike 11–16 % more CPU per
     * call-second than epoll on this VM, with no better latency; it was cheaper only at saturation
     * (docs/decisions.md). io_uring stays the next choice, for a system where epoll's native
     * library does not load.
     */
    static final List<Transport> AUTO_ORDER = List.of(Transport.EPOLL, Transport.IO_URING, Transport.NIO);

    private static volatile TransportChoice processDefault;

    public TransportChoice {
        passedOver = List.copyOf(passedOver);
    }

    /** The choice for {@code requested} on this machine. */
    public static TransportChoice select(TransportMode requested) {
        return select(requested, Transport::unavailability);
    }

    /**
     * The choice for {@code requested}, with {@code unavailability} telling why a transport cannot
     * run (null: it can). Tests pass a probe that refuses io_uring to follow auto's fallback.
     *
     * @throws ConfigError when {@code requested} names a transport that cannot run
     */
    static TransportChoice select(TransportMode requested, Function<Transport, String> unavailability) {
        if (requested != TransportMode.AUTO) {
            Transport t = Transport.valueOf(requested.name());
            String why = unavailability.apply(t);
            if (why != null) {
                throw new ConfigError("relay.transport", t.label() + " is not available here (" + why
                        + "); auto falls back to the next transport that is");
            }
            return new TransportChoice(t, requested, List.of());
        }
        List<String> passed = new ArrayList<>();
        for (Transport t : AUTO_ORDER) {
            String why = t == Transport.NIO ? null : unavailability.apply(t);
            if (why == null) {
                return new TransportChoice(t, requested, passed);
            }
            passed.add(t.label() + ": " + why);
        }
        throw new IllegalStateException("NIO is always available");
    }

    /**
     * The default of tools and tests that run without a relay config: the mode in the
     * {@value #PROPERTY} system property (as {@code -Drelay.transport=epoll} also sets a relay's
     * config), else auto. Decided once per JVM.
     *
     * @throws IllegalArgumentException for a value that names no mode
     */
    public static TransportChoice processDefault() {
        TransportChoice c = processDefault;
        if (c == null) {
            synchronized (TransportChoice.class) {
                c = processDefault;
                if (c == null) {
                    String value = System.getProperty(PROPERTY, "auto");
                    TransportMode mode = TransportMode.parse(value);
                    if (mode == null) {
                        throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                                + ": expected auto, io_uring, epoll or nio");
                    }
                    c = select(mode);
                    processDefault = c;
                }
            }
        }
        return c;
    }

    /** True when auto had to pass over a transport it prefers. */
    public boolean fellBack() {
        return !passedOver.isEmpty();
    }

    /**
     * One line for the start-up log, e.g. {@code epoll (relay.transport = auto; passed over
     * io_uring: RuntimeException: failed to create io_uring ring fd: Operation not permitted)}.
     */
    public String describe() {
        return transport.label() + " (relay.transport = " + requested.label()
                + (passedOver.isEmpty() ? "" : "; passed over " + String.join("; ", passedOver)) + ")";
    }

    /**
     * Registers {@code relay_transport_info{transport, requested}} = 1, so dashboards see which
     * transport each node runs and whether auto fell back.
     */
    public void register(PrometheusRegistry registry) {
        Info info = Info.builder().name("relay_transport_info")
                .help("The Netty transport the relay runs (transport) and what relay.transport asked for (requested)")
                .labelNames("transport", "requested")
                .register(registry);
        info.setLabelValues(transport.label(), requested.label());
    }
}
