package dev.relay.core.config;

/**
 * {@code relay.control}: the admin HTTP API (SPEC §6), never on the public port.
 *
 * @param host bind address; forced to loopback when no token is set
 * @param port bind port (0 picks a free port, used by tests)
 * @param token bearer token ({@code RELAY_CONTROL_TOKEN}); empty disables auth (loopback only)
 * @param maxBodyBytes larger request bodies get 413
 */
public record ControlConfig(String host, int port, String token, int maxBodyBytes) {

    static ControlConfig from(Settings s) {
        return new ControlConfig(
                s.nonEmptyString("host"),
                s.intIn("port", 0, 65535),
                s.string("token"),
                (int) s.bytesIn("max-body-bytes", 1024, 256L << 20));
    }
}
